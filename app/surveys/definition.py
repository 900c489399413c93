"""A checked survey definition: its pages and questions, texts per language, and frozen form."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .answers import check_answers, chosen_ids

FORMAT = 1
SWEDISH = "sv"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"})
Localized = dict[str, str]
# Limits of a drawn answer when the survey names none: a walk across a town, a block to a park.
DEFAULT_MAX_LENGTH_KM = 10
DEFAULT_MIN_AREA_M2 = 10
DEFAULT_MAX_AREA_M2 = 5_000_000


def localized(value: Any) -> Localized | None:
    """Turn a plain string (Swedish) or a language mapping into a language mapping."""
    if value is None:
        return None
    if isinstance(value, str):
        return {SWEDISH: value.strip()}
    return {lang: text.strip() for lang, text in value.items()}


@dataclass(frozen=True)
class Option:
    """One answer alternative (or map category): a stable id and a label."""

    id: str
    label: Localized


@dataclass(frozen=True)
class ShowIf:
    """Show a question only when an earlier choice question has one of these answers."""

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question; attributes that do not apply to its type keep their empty default."""

    id: str
    type: str
    text: Localized
    page_id: str
    help: Localized | None = None
    required: bool = False
    demographic: bool = False
    show_if: ShowIf | None = None
    options: tuple[Option, ...] = ()
    other: bool = False
    labels: dict[str, Localized] | None = None
    max_length: int | None = None
    multiline: bool = True
    min: float | None = None
    max: float | None = None
    integer: bool = True
    unit: Localized | None = None
    values: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    min_pins: int = 0
    max_pins: int = 0
    prompts: dict[str, Localized] | None = None
    photo: bool = False
    categories: tuple[Option, ...] = ()
    category_required: bool = False
    comment_max_length: int | None = None
    shape: str = "point"  # a map question's answers: "point", "line" (a route) or "area"
    max_length_km: float | None = None
    min_area_m2: float | None = None
    max_area_m2: float | None = None

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Ids a resident may choose, including 'other' when "annat, nämligen" is on."""
        return tuple(o.id for o in self.options) + (("other",) if self.other else ())

    @property
    def answerable(self) -> bool:
        """False for info blocks, which only show text."""
        return self.type != "info"


@dataclass(frozen=True)
class PopulationMapping:
    """How one demographic question's options map onto a population dimension's groups."""

    question: str
    dimension: str
    groups: dict[str, tuple[str, ...]]  # option id -> population group labels


@dataclass(frozen=True)
class Page:
    """A page of questions shown together."""

    id: str
    title: Localized | None
    intro: Localized | None
    questions: tuple[Question, ...]


def _compact(mapping: dict) -> dict:
    """Drop absent optional keys, so the frozen form is itself a valid survey document."""
    return {k: v for k, v in mapping.items() if v is not None and not (k == "categories" and not v)}


def normalize(data: dict) -> dict:
    """Return the canonical frozen form of checked survey data: defaults filled, texts mapped."""
    return _compact({
        "format": FORMAT,
        "id": data["id"],
        "title": localized(data["title"]),
        "description": localized(data.get("description")),
        "intro": localized(data.get("intro")),
        "languages": list(data["languages"]),
        "pages": [
            _compact({
                "id": page["id"],
                "title": localized(page.get("title")),
                "intro": localized(page.get("intro")),
                "questions": [_normalize_question(q) for q in page["questions"]],
            })
            for page in data["pages"]
        ],
        "population": [
            {"question": m["question"], "dimension": m["dimension"],
             "groups": {option: [label.strip() for label in labels]
                        for option, labels in m["groups"].items()}}
            for m in data["population"]
        ] if data.get("population") else None,
    })


def _options(items: list[dict] | None) -> list[dict]:
    return [{"id": o["id"], "label": localized(o["label"])} for o in items or []]


def _normalize_question(q: dict) -> dict:
    qtype = q["type"]
    out: dict[str, Any] = {
        "id": q["id"],
        "type": qtype,
        "text": localized(q["text"]),
        "help": localized(q.get("help")),
        "required": bool(q.get("required", qtype == "consent")),
        "show_if": None,
    }
    if "show_if" in q:
        cond = q["show_if"]
        wanted = cond["in"] if "in" in cond else [cond["equals"]]
        out["show_if"] = {"question": cond["question"], "in": list(wanted)}
    if qtype not in ("map_pin", "ranking", "consent", "info"):
        out["demographic"] = bool(q.get("demographic", False))
    if qtype in ("single_choice", "multi_choice", "ranking"):
        out["options"] = _options(q.get("options"))
    if qtype in ("single_choice", "multi_choice"):
        out["other"] = bool(q.get("other", False))
    if qtype == "likert":
        out["labels"] = {k: localized(v) for k, v in q["labels"].items()}
    if qtype == "text":
        out["max_length"] = q.get("max_length", 1000)
        out["multiline"] = bool(q.get("multiline", True))
    if qtype == "number":
        out.update(min=q.get("min"), max=q.get("max"), integer=bool(q.get("integer", True)),
                   unit=localized(q.get("unit")))
    if qtype == "map_pin":
        values = q["values"]
        out.update(
            values=[values] if isinstance(values, str) else list(values),
            sentiments=list(q.get("sentiments", ["positive", "negative", "idea"])),
            min_pins=q.get("min_pins", 0),
            max_pins=q.get("max_pins", 20),
            prompts={k: localized(v) for k, v in (q.get("prompts") or {}).items()},
            photo=bool(q.get("photo", False)),
            categories=_options(q.get("categories")),
            category_required=bool(q.get("category_required", False)),
            comment_max_length=q.get("comment_max_length", 1000),
        )
        shape = q.get("shape", "point")
        if shape != "point":  # a point question's frozen form (and its hash) stays as it was
            out["shape"] = shape
        if shape == "line":
            out["max_length_km"] = q.get("max_length_km", DEFAULT_MAX_LENGTH_KM)
        if shape == "area":
            out.update(min_area_m2=q.get("min_area_m2", DEFAULT_MIN_AREA_M2),
                       max_area_m2=q.get("max_area_m2", DEFAULT_MAX_AREA_M2))
    return _compact(out)


def _question(q: dict, page_id: str) -> Question:
    fields = dict(q)
    if fields.get("show_if"):
        fields["show_if"] = ShowIf(q["show_if"]["question"], tuple(q["show_if"]["in"]))
    for key in ("options", "categories"):
        if key in fields:
            fields[key] = tuple(Option(o["id"], o["label"]) for o in fields[key])
    for key in ("values", "sentiments"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return Question(page_id=page_id, **fields)


class SurveyDefinition:
    """A survey that passed every check; built from its frozen form, so it never changes."""

    def __init__(self, frozen: dict):
        self._frozen = copy.deepcopy(frozen)
        self.id: str = frozen["id"]
        self.title: Localized = frozen["title"]
        self.description: Localized | None = frozen.get("description")
        self.intro: Localized | None = frozen.get("intro")
        self.languages: list[str] = list(frozen["languages"])
        self.pages: tuple[Page, ...] = tuple(
            Page(p["id"], p.get("title"), p.get("intro"),
                 tuple(_question(q, p["id"]) for q in p["questions"]))
            for p in frozen["pages"]
        )
        self.questions: tuple[Question, ...] = tuple(q for p in self.pages for q in p.questions)
        self._by_id = {q.id: q for q in self.questions}
        self.population: tuple[PopulationMapping, ...] = tuple(
            PopulationMapping(m["question"], m["dimension"],
                              {o: tuple(labels) for o, labels in m["groups"].items()})
            for m in frozen.get("population") or ()
        )

    def __repr__(self) -> str:
        return f"<SurveyDefinition {self.id} {self.content_hash()[:12]}>"

    @property
    def rtl_languages(self) -> list[str]:
        """Declared languages written right to left (pages set dir="rtl" for them)."""
        return [lang for lang in self.languages if self.is_rtl(lang)]

    def frozen(self) -> dict:
        """Return the canonical JSON-able dict that a published dialogue stores."""
        return copy.deepcopy(self._frozen)

    def content_hash(self) -> str:
        """Return the sha256 hex digest of the canonical JSON of `frozen()`."""
        canonical = json.dumps(self._frozen, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def text(self, localized_text: Localized | str | None, lang: str) -> str:
        """Return the text in `lang`, else its base language, else Swedish ('' if none)."""
        if localized_text is None:
            return ""
        if isinstance(localized_text, str):
            return localized_text
        for candidate in (lang, lang.split("-")[0], SWEDISH):
            if localized_text.get(candidate):
                return localized_text[candidate]
        return ""

    def is_rtl(self, lang: str) -> bool:
        """True when `lang` is written right to left."""
        return lang.split("-")[0] in RTL_LANGUAGES

    def direction(self, lang: str) -> str:
        """Return 'rtl' or 'ltr', for the dir attribute of a page in `lang`."""
        return "rtl" if self.is_rtl(lang) else "ltr"

    def question(self, question_id: str) -> Question:
        """Return the question with this id; KeyError when there is none."""
        return self._by_id[question_id]

    def group_questions(self) -> list[Question]:
        """Return the demographic choice questions: the groups a planner can filter and compare."""
        return [q for q in self.questions if q.demographic and q.type in ("single_choice", "multi_choice")]

    def map_questions(self) -> list[Question]:
        """Return the map_pin questions in order."""
        return [q for q in self.questions if q.type == "map_pin"]

    def visible_questions(self, answers: dict) -> list[Question]:
        """Return the questions shown given the answers so far, applying show_if."""
        shown: dict[str, Question] = {}
        for q in self.questions:
            cond = q.show_if
            if cond is None or (
                cond.question in shown
                and chosen_ids(answers.get(cond.question)) & set(cond.any_of)
            ):
                shown[q.id] = q
        return list(shown.values())

    def clean_answers(self, answers: dict) -> dict:
        """Return the answers of visible questions, normalized; invalid ones left out."""
        return check_answers(self, answers, "sv")[0]

    def validate_answers(self, answers: dict, lang: str = "sv") -> dict[str, str]:
        """Return question id -> error sentence in `lang` (sv or en); {} when all is fine."""
        return check_answers(self, answers, lang)[1]
