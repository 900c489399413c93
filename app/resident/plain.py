"""The questionnaire as a plain HTML form, for a browser without JavaScript.

The whole survey on one page, sent as an ordinary form post and written by the same
`submit_response` as the questionnaire. A map question has comment slots; the place of a
comment is a click on a map image drawn on the server (`<input type="image">`: the browser
sends the click's pixel, the server turns it into a point), a named place, or words. Placing,
adding or removing a comment re-renders the page with everything kept in the form; only Send
stores. The idempotency key is made here, in a hidden field, so a double send stores once.
A route or area question (shape line/area) cannot be drawn on an image here: its answer is a
route through named places (picked in order; the server draws the line) or words.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from shapely.geometry.base import BaseGeometry
from werkzeug.datastructures import FileStorage, MultiDict

from ..export.mapimage import MARGIN, pixel_to_lat_lng
from ..inputs import whole_number
from ..photos import PhotoError, photo_token, store_photo
from ..spatial import SWEREF99_TM, WGS84, reproject
from ..surveys import SurveyDefinition
from ..surveys.definition import Question
from .writing import area_contains_each

MAP_WIDTHS = {"s": 256, "l": 640}  # narrow screens (fits 320 px) and wide ones; shown at 1:1
MAX_SLOTS = 20
_PLACE = re.compile(r"^pin-([a-z][a-z0-9_]*)-(\d{1,2})-map-([sl])\.x$")
NOT_READ = _l("The answers could not be read. Reload the page and try again.")
OUTSIDE = _l("That place is outside the area of this dialogue. Choose a place inside the outline.")
KEYBOARD_MAP = _l("The map can only be used with a mouse or a finger. "
                  "Choose a place from the list or describe it in words instead.")


@dataclass
class Slot:
    """One comment of a map question as the form holds it (nothing checked yet)."""

    value: str = ""
    sentiment: str = ""
    comment: str = ""
    category: str = ""
    kind: str = ""
    lat: str = ""
    lng: str = ""
    place: str = ""
    description: str = ""
    photo: str = ""
    photo_name: str = ""
    route: list[str] = field(default_factory=list)  # a route through named places, in order
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing filled in: the slot is not sent."""
        return not any((self.sentiment, self.comment.strip(), self.lat, self.place,
                        self.description.strip(), self.photo, self.category, any(self.route)))

    def location(self) -> dict:
        """The pin's location as submit_response reads it."""
        kind = self.kind or ("map" if self.lat else "named_place" if self.place
                             else "places" if any(self.route)
                             else "described" if self.description.strip() else "")
        if kind == "map":
            return {"kind": "map", "lat": _number(self.lat), "lng": _number(self.lng)}
        if kind == "named_place":
            return {"kind": "named_place", "place": whole_number(self.place, low=1)}
        if kind == "described":
            return {"kind": "described", "description": self.description}
        if kind == "places":  # the server draws the line through them
            return {"kind": "places", "places": [whole_number(p, low=1) for p in self.route if p]}
        return {"kind": None}


@dataclass
class PlainForm:
    """The plain form's state: the key, the raw answers, the comment slots per map question."""

    key: str
    values: MultiDict
    slots: dict[str, list[Slot]]
    errors: dict[str, str] = field(default_factory=dict)
    form_error: str | None = None

    @property
    def has_problems(self) -> bool:
        """Whether anything on the form needs the resident's attention."""
        return bool(self.form_error or self.errors or any(
            slot.errors for slots in self.slots.values() for slot in slots))

    def answers(self, definition: SurveyDefinition) -> dict:
        """The answers to the non-map questions, shaped as the questionnaire sends them."""
        return {q.id: a for q in definition.questions
                if q.type not in ("map_pin", "info") and (a := _answer(q, self.values)) is not None}

    def pins(self) -> list[tuple[str, int, Slot]]:
        """The filled-in slots in page order: (question id, slot index, slot)."""
        return [(qid, i, slot) for qid, slots in self.slots.items()
                for i, slot in enumerate(slots) if not slot.empty]

    def payload(self, definition: SurveyDefinition) -> dict:
        """The submission as submit_response reads it (the same shape the questionnaire posts)."""
        pins = []
        for qid, _i, slot in self.pins():
            pin = {"question": qid, "sentiment": slot.sentiment or None, "comment": slot.comment,
                   "location": slot.location()}
            if slot.value:
                pin["value"] = slot.value
            if slot.category:
                pin["category"] = slot.category
            if slot.photo:
                pin["photo"] = slot.photo
            pins.append(pin)
        return {"key": self.key, "answers": self.answers(definition), "pins": pins,
                "website": self.values.get("website", "")}


def new_form(definition: SurveyDefinition) -> PlainForm:
    """An empty form with a fresh idempotency key and one slot per map question."""
    return PlainForm(key=secrets.token_urlsafe(18), values=MultiDict(),
                     slots={q.id: [Slot()] for q in definition.map_questions()})


def read_form(definition: SurveyDefinition, values: MultiDict) -> PlainForm:
    """The form as posted; every map question keeps at least one slot."""
    slots: dict[str, list[Slot]] = {}
    for q in definition.map_questions():
        try:
            count = min(max(int(values.get(f"pins-{q.id}-count", "1")), 1), MAX_SLOTS)
        except ValueError:
            count = 1
        slots[q.id] = [_read_slot(values, f"pin-{q.id}-{i}-") for i in range(count)]
    key = values.get("key", "")
    return PlainForm(key=key, values=values, slots=slots)


ROUTE_STOPS = 4  # the plain form's places along a route: from, two on the way, to


def _read_slot(values: MultiDict, prefix: str) -> Slot:
    names = ("value", "sentiment", "comment", "category", "kind", "lat", "lng", "place",
             "description", "photo", "photo_name")
    slot = Slot(**{name: values.get(prefix + name.replace("_", "-"), "")[:2000] for name in names})
    slot.route = [values.get(f"{prefix}route-{n}", "")[:20] for n in range(1, ROUTE_STOPS + 1)]
    return slot


def _answer(q: Question, values: MultiDict):
    """One question's answer from the form fields, or None when it was left empty."""
    other = values.get(f"{q.id}__other", "")
    if q.type == "single_choice":
        chosen = values.get(q.id)
        if not chosen:
            return None
        return {"selected": "other", "other": other} if chosen == "other" else chosen
    if q.type == "multi_choice":
        chosen = values.getlist(q.id)
        if not chosen:
            return None
        return {"selected": chosen, "other": other} if "other" in chosen else chosen
    if q.type == "ranking":
        order = [values.get(f"{q.id}__{n}", "") for n in range(1, len(q.options) + 1)]
        return order if any(order) else None
    if q.type == "consent":
        return True if values.get(q.id) == "true" else None
    text = values.get(q.id, "")
    return text if text.strip() else None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def map_size(outline_wgs84: BaseGeometry, size: str) -> tuple[int, int]:
    """The pixel size of the map image for a screen size ("s" or "l"): the area's own shape."""
    width = MAP_WIDTHS[size]
    min_e, min_n, max_e, max_n = reproject(outline_wgs84, WGS84, SWEREF99_TM).bounds
    ratio = (max_n - min_n) / max(max_e - min_e, 1)
    height = int((width - 2 * MARGIN) * ratio) + 2 * MARGIN
    return width, min(max(height, width // 2), int(width * 1.25))


def clicked_place(form: PlainForm, area_id: int, outline_of: Callable[[], BaseGeometry]) -> bool:
    """If the post is a click on a map image, put that slot's marker there; whether it was one."""
    for name in form.values:
        match = _PLACE.match(name)
        if not match:
            continue
        qid, index, size = match.group(1), int(match.group(2)), match.group(3)
        slots = form.slots.get(qid)
        if slots is None or index >= len(slots):
            form.form_error = str(NOT_READ)
            return True
        slot = slots[index]
        x = _number(form.values.get(name, ""))
        y = _number(form.values.get(f"pin-{qid}-{index}-map-{size}.y", ""))
        if x is None or y is None:
            form.form_error = str(NOT_READ)
        elif x == 0 and y == 0:  # Enter or Space on the image: no pointer, no place
            slot.errors["location"] = str(KEYBOARD_MAP)
        else:
            outline = outline_of()  # read only for a click: a Send needs no outline
            width, height = map_size(outline, size)
            lat, lng = pixel_to_lat_lng(outline, x, y, width, height)
            if area_contains_each(area_id, [(lat, lng)])[0]:
                slot.lat, slot.lng, slot.kind = f"{lat:.7f}", f"{lng:.7f}", "map"
            else:
                slot.errors["location"] = str(OUTSIDE)
        return True
    return False


def change_slots(form: PlainForm, definition: SurveyDefinition, action: str) -> None:
    """Add a comment slot to a map question ("add:QID") or remove one ("remove:QID:N")."""
    parts = action.split(":")
    slots = form.slots.get(parts[1]) if len(parts) > 1 else None
    if slots is None:
        form.form_error = str(NOT_READ)
        return
    qid = parts[1]
    if parts[0] == "add":
        if len(slots) >= min(definition.question(qid).max_pins, MAX_SLOTS):
            form.errors[qid] = str(_l("You can add at most %(n)d comments here.",
                                      n=definition.question(qid).max_pins))
            return
        slots.append(Slot())
    elif (parts[0] == "remove" and len(parts) == 3
          and whole_number(parts[2]) is not None and whole_number(parts[2]) < len(slots)):
        del slots[int(parts[2])]
        if not slots:
            slots.append(Slot())
    else:
        form.form_error = str(NOT_READ)


def take_photos(form: PlainForm, files: MultiDict, dialogue_id: int, allowed: set[str]) -> None:
    """Store every photo chosen in the post (stripped, unattached) and keep its token in its slot."""
    for qid, slots in form.slots.items():
        for i, slot in enumerate(slots):
            upload: FileStorage | None = files.get(f"pin-{qid}-{i}-photo-file")
            if upload is None or not upload.filename:
                continue
            if qid not in allowed:
                slot.errors["photo"] = str(_l("Photos cannot be attached here."))
                continue
            try:
                photo = store_photo(upload.read(10 * 1024 * 1024 + 1))
            except PhotoError as err:
                slot.errors["photo"] = str(err)
                continue
            slot.photo, slot.photo_name = photo_token(photo.id, dialogue_id), upload.filename[:200]


def apply_problems(form: PlainForm, problems) -> None:
    """Put the server's refusals beside the questions and the comments they are about."""
    form.errors.update(problems.answers)
    form.form_error = problems.form
    pins = form.pins()
    for index, fields in problems.pins.items():
        if index < len(pins):
            _qid, _i, slot = pins[index]
            slot.errors.update(fields)
