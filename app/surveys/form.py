"""The browser editor's form: survey data to flat form fields and back, list edits, field errors.

Plain Python over a `getlist`-able mapping (a request's form), no Flask: the editor's page and
its tests share it. Field names are the data path joined by '-' ("pages-0-questions-2-text-en"),
so a problem found at a path by the one validation path (loader.located_problems) lands next to
the field that holds it, or next to the nearest enclosing part that the page shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

import yaml

from ..inputs import whole_number
from .rules import VALUES
from .yamlsource import YamlSyntaxError, parse_yaml

PathT = tuple[str | int, ...]
QUESTION_TYPES = ("map_pin", "single_choice", "multi_choice", "likert", "text", "number",
                  "ranking", "consent", "info")
SENTIMENTS = ("positive", "negative", "idea")
OPTION_TYPES = ("single_choice", "multi_choice", "ranking")
DEMOGRAPHIC_TYPES = ("single_choice", "multi_choice", "likert", "text", "number")
LIST_KEYS = ("pages", "questions", "options", "categories")
LIKERT_LABELS = ("low", "middle", "high")


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list: ...


def field_name(path: PathT) -> str:
    """The form field name (and, prefixed with 'f-', the element id) of a data path."""
    return "-".join(str(part) for part in path) if path else "survey"


def path_of(name: str) -> PathT:
    """The data path of a list item's field name, e.g. 'pages-0-questions-1' (list paths only)."""
    parts = name.split("-")
    numbers = [whole_number(part, high=10**6) for part in parts]
    return tuple(part if number is None else number for part, number in zip(parts, numbers, strict=True))


def localized_text(value: Any, lang: str) -> str:
    """The text of a localized value in one language ('' if none); a plain string is Swedish."""
    if isinstance(value, str):
        return value if lang == "sv" else ""
    if isinstance(value, dict):
        text = value.get(lang)
        return text if isinstance(text, str) else ""
    return ""


def as_list(value: Any) -> list:
    """A map question's values as a list (the format allows one value as a plain string)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def condition_options(show_if: Any) -> str:
    """The options of a show_if condition as the editor's comma-separated text."""
    if not isinstance(show_if, dict):
        return ""
    wanted = show_if.get("in", [show_if["equals"]] if "equals" in show_if else [])
    return ", ".join(str(w) for w in wanted) if isinstance(wanted, list) else str(wanted)


# ---- from the form to survey data -------------------------------------------------------------

def _indices(form: FormData, prefix: str) -> list[int]:
    pattern = re.compile(re.escape(prefix) + r"-(\d+)-")
    return sorted({int(m.group(1)) for key in form for m in [pattern.match(key)] if m})


def _text(form: FormData, name: str, languages: list[str], required: bool) -> dict | None:
    texts = {lang: (form.get(f"{name}-{lang}") or "").strip() for lang in languages}
    filled = {lang: text for lang, text in texts.items() if text}
    if not filled:
        return {"sv": ""} if required else None
    if required and "sv" in languages and "sv" not in filled:
        filled = {"sv": "", **filled}  # the schema says "Swedish is missing" next to the field
    return filled


def _integer(raw: str | None) -> int | str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw  # kept as typed: the schema says it should be an integer, next to the field


def _number(raw: str | None) -> float | int | str | None:
    raw = (raw or "").strip().replace("\u2212", "-")
    if not raw:
        return None
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw
    return int(number) if number.is_integer() else number


def _put(target: dict, key: str, value: Any, default: Any = None) -> None:
    """Set the key unless the value is empty or the format's default (a lean, readable file)."""
    if value is not None and value != default:
        target[key] = value


def parse_languages(raw: str) -> list[str]:
    """The languages field ("sv, en, sv-lattlast") as a list without repeats, Swedish first."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", raw.strip().lower()):
        if code and code not in seen:
            seen.append(code)
    return seen


def survey_from_form(form: FormData) -> dict:
    """The survey data (as a YAML file holds it) that the editor's fields describe."""
    languages = parse_languages(form.get("languages") or "sv")
    data: dict[str, Any] = {"format": 1, "id": (form.get("id") or "").strip(),
                            "title": _text(form, "title", languages, True)}
    _put(data, "description", _text(form, "description", languages, False))
    _put(data, "intro", _text(form, "intro", languages, False))
    data["languages"] = languages
    data["pages"] = [_page_from_form(form, f"pages-{i}", languages)
                     for i in _indices(form, "pages")]
    population = (form.get("population") or "").strip()
    if population:
        # As YAML: the mapping is data, not prose; text that does not parse is kept as it is, so
        # the survey's own check names the problem next to the field.
        try:
            data["population"] = parse_yaml(population).data
        except (yaml.YAMLError, YamlSyntaxError):
            data["population"] = population
    return data


def population_text(data: dict) -> str:
    """The survey's population section as the editor's YAML text field shows it."""
    population = data.get("population")
    if population is None or isinstance(population, str):
        return population or ""
    return yaml.safe_dump(population, allow_unicode=True, sort_keys=False)


def _page_from_form(form: FormData, name: str, languages: list[str]) -> dict:
    page: dict[str, Any] = {"id": (form.get(f"{name}-id") or "").strip()}
    _put(page, "title", _text(form, f"{name}-title", languages, False))
    _put(page, "intro", _text(form, f"{name}-intro", languages, False))
    page["questions"] = [_question_from_form(form, f"{name}-questions-{j}", languages)
                         for j in _indices(form, f"{name}-questions")]
    return page


def _options_from_form(form: FormData, name: str, languages: list[str]) -> list[dict]:
    return [{"id": (form.get(f"{name}-{k}-id") or "").strip(),
             "label": _text(form, f"{name}-{k}-label", languages, True)}
            for k in _indices(form, name)]


def _question_from_form(form: FormData, name: str, languages: list[str]) -> dict:
    qtype = form.get(f"{name}-type") or "text"
    q: dict[str, Any] = {"id": (form.get(f"{name}-id") or "").strip(), "type": qtype,
                         "text": _text(form, f"{name}-text", languages, True)}
    _put(q, "help", _text(form, f"{name}-help", languages, False))
    checked = form.get(f"{name}-required") is not None
    if qtype not in ("consent", "info"):
        _put(q, "required", checked, False)
    condition_question = (form.get(f"{name}-show_if-question") or "").strip()
    if condition_question:
        wanted = [w for w in re.split(r"[\s,;]+", form.get(f"{name}-show_if-in") or "") if w]
        q["show_if"] = ({"question": condition_question, "equals": wanted[0]} if len(wanted) == 1
                        else {"question": condition_question, "in": wanted} if wanted
                        else {"question": condition_question})
    if qtype in OPTION_TYPES:
        q["options"] = _options_from_form(form, f"{name}-options", languages)
    if qtype in ("single_choice", "multi_choice"):
        _put(q, "other", form.get(f"{name}-other") is not None, False)
    if qtype == "likert":
        labels = {key: _text(form, f"{name}-labels-{key}", languages, key != "middle")
                  for key in LIKERT_LABELS}
        q["labels"] = {k: v for k, v in labels.items() if v is not None}
    if qtype == "text":
        _put(q, "max_length", _integer(form.get(f"{name}-max_length")), 1000)
        _put(q, "multiline", form.get(f"{name}-multiline") is not None, True)
    if qtype == "number":
        _put(q, "min", _number(form.get(f"{name}-min")))
        _put(q, "max", _number(form.get(f"{name}-max")))
        _put(q, "integer", form.get(f"{name}-integer") is not None, True)
        _put(q, "unit", _text(form, f"{name}-unit", languages, False))
    if qtype in DEMOGRAPHIC_TYPES:
        _put(q, "demographic", form.get(f"{name}-demographic") is not None, False)
    if qtype == "map_pin":
        _map_from_form(form, name, languages, q)
    return q


def _map_from_form(form: FormData, name: str, languages: list[str], q: dict) -> None:
    values = [v for v in VALUES if v in form.getlist(f"{name}-values")]
    q["values"] = values
    # In the order the boxes came (the question's order first), so an order chosen in the file stays.
    sentiments = list(dict.fromkeys(s for s in form.getlist(f"{name}-sentiments") if s in SENTIMENTS))
    _put(q, "sentiments", sentiments, list(SENTIMENTS))
    _put(q, "min_pins", _integer(form.get(f"{name}-min_pins")), 0)
    _put(q, "max_pins", _integer(form.get(f"{name}-max_pins")), 20)
    prompts = {v: _text(form, f"{name}-prompts-{v}", languages, False) for v in values}
    _put(q, "prompts", {v: p for v, p in prompts.items() if p} or None)
    _put(q, "photo", form.get(f"{name}-photo") is not None, False)
    categories = _options_from_form(form, f"{name}-categories", languages)
    _put(q, "categories", categories or None)
    if categories:
        _put(q, "category_required", form.get(f"{name}-category_required") is not None, False)
    _put(q, "comment_max_length", _integer(form.get(f"{name}-comment_max_length")), 1000)
    shape = form.get(f"{name}-shape") or "point"
    _put(q, "shape", shape, "point")
    if shape == "line":
        _put(q, "max_length_km", _number(form.get(f"{name}-max_length_km")))
    if shape == "area":
        _put(q, "min_area_m2", _number(form.get(f"{name}-min_area_m2")))
        _put(q, "max_area_m2", _number(form.get(f"{name}-max_area_m2")))


# ---- list edits: add, remove, move ------------------------------------------------------------

class EditError(ValueError):
    """An edit that names no part of the survey (a stale or forged button)."""


def _unique(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def _question_ids(data: dict) -> set[str]:
    return {q.get("id") for p in data.get("pages", []) for q in p.get("questions", [])}


def new_question(qtype: str, data: dict) -> dict:
    """An empty question of a type, with a fresh id and what its type needs to be complete."""
    if qtype not in QUESTION_TYPES:
        raise EditError(qtype)
    q: dict[str, Any] = {"id": _unique("fraga", _question_ids(data)), "type": qtype,
                         "text": {"sv": ""}}
    if qtype == "map_pin":
        q["values"] = list(VALUES)
    if qtype in OPTION_TYPES:
        q["options"] = [{"id": "alternativ_1", "label": {"sv": ""}},
                        {"id": "alternativ_2", "label": {"sv": ""}}]
    if qtype == "likert":
        q["labels"] = {"low": {"sv": ""}, "high": {"sv": ""}}
    return q


def _container(data: dict, path: PathT) -> list:
    node: Any = data
    try:
        for part in path:
            node = node[part]
    except (KeyError, IndexError, TypeError) as err:
        raise EditError(field_name(path)) from err
    if not isinstance(node, list):
        raise EditError(field_name(path))
    return node


def apply_edit(data: dict, action: str, new_type: str | None = None) -> str:
    """Apply an editor button ("add pages-0-questions", "up pages-0-questions-2", ...) to the
    data in place; return the element id that should have the focus afterwards."""
    verb, _, target = action.partition(" ")
    path = path_of(target) if target else ()
    if verb == "add":
        if not path or path[-1] not in LIST_KEYS:
            raise EditError(action)
        items = _container(data, path)
        kind = path[-1]
        if kind == "pages":
            items.append({"id": _unique("sida", {p.get("id") for p in items}), "questions": []})
            return "f-" + field_name((*path, len(items) - 1, "id"))
        if kind == "questions":
            items.append(new_question(new_type or "text", data))
            return "f-" + field_name((*path, len(items) - 1, "text", "sv"))
        items.append({"id": _unique("alternativ", {o.get("id") for o in items}),
                      "label": {"sv": ""}})
        return "f-" + field_name((*path, len(items) - 1, "label", "sv"))
    if verb not in ("remove", "up", "down") or len(path) < 2 or not isinstance(path[-1], int):
        raise EditError(action)
    items, index = _container(data, path[:-1]), path[-1]
    if not 0 <= index < len(items):
        raise EditError(action)
    if verb == "remove":
        del items[index]
        return "add-" + field_name(path[:-1])
    step = -1 if verb == "up" else 1
    if 0 <= index + step < len(items):
        items[index], items[index + step] = items[index + step], items[index]
        return f"{verb}-" + field_name((*path[:-1], index + step))
    if path[-2] == "questions" and len(path) == 4:
        # Past the first or last question of a page: on to the neighbouring page.
        page = path[1] + step
        pages = data["pages"]
        if 0 <= page < len(pages):
            moved = items.pop(index)
            target_list = pages[page].setdefault("questions", [])
            position = len(target_list) if step < 0 else 0
            target_list.insert(position, moved)
            return f"{verb}-" + field_name(("pages", page, "questions", position))
    return f"{verb}-" + field_name(path)


# ---- where each problem is shown --------------------------------------------------------------

def _localized_anchors(path: PathT, languages: list[str]) -> Iterator[PathT]:
    yield path
    for lang in languages:
        yield (*path, lang)


def anchors(data: dict) -> set[PathT]:
    """Every path the editor's page shows a field or a group for (where errors can be shown)."""
    languages = [lang for lang in data.get("languages", []) if isinstance(lang, str)]
    found: set[PathT] = {(), ("id",), ("languages",), ("pages",)}
    for key in ("title", "description", "intro"):
        found.update(_localized_anchors((key,), languages))
    for i, page in enumerate(data.get("pages") or []):
        base: PathT = ("pages", i)
        found.update({base, (*base, "id"), (*base, "questions")})
        for key in ("title", "intro"):
            found.update(_localized_anchors((*base, key), languages))
        for j, q in enumerate(page.get("questions") or [] if isinstance(page, dict) else []):
            found.update(_question_anchors((*base, "questions", j), q, languages))
    return found


def _question_anchors(base: PathT, q: Any, languages: list[str]) -> set[PathT]:
    qtype = q.get("type") if isinstance(q, dict) else None
    found = {base, (*base, "id"), (*base, "type"), (*base, "show_if"),
             (*base, "show_if", "question"), (*base, "show_if", "in")}
    for key in ("text", "help"):
        found.update(_localized_anchors((*base, key), languages))
    if qtype not in ("consent", "info"):
        found.add((*base, "required"))
    if qtype in DEMOGRAPHIC_TYPES:
        found.add((*base, "demographic"))
    lists = {"options"} if qtype in OPTION_TYPES else {"categories"} if qtype == "map_pin" else set()
    for key in lists:
        found.add((*base, key))
        for k, _option in enumerate(q.get(key) or []):
            found.update({(*base, key, k), (*base, key, k, "id")})
            found.update(_localized_anchors((*base, key, k, "label"), languages))
    if qtype in ("single_choice", "multi_choice"):
        found.add((*base, "other"))
    if qtype == "likert":
        found.add((*base, "labels"))
        for key in LIKERT_LABELS:
            found.update(_localized_anchors((*base, "labels", key), languages))
    extra = {"text": ("max_length", "multiline"), "number": ("min", "max", "integer"),
             "map_pin": ("values", "sentiments", "min_pins", "max_pins", "prompts", "photo",
                         "category_required", "comment_max_length", "shape", "max_length_km",
                         "min_area_m2", "max_area_m2")}.get(qtype, ())
    found.update((*base, key) for key in extra)
    if qtype == "number":
        found.update(_localized_anchors((*base, "unit"), languages))
    if qtype == "map_pin":
        for value in as_list(q.get("values")):
            found.update(_localized_anchors((*base, "prompts", value), languages))
    return found


def place_problems(problems: list[tuple[PathT, str]], data: dict) -> dict[str, list[str]]:
    """Problems by the field name they are shown next to: the nearest shown part of their path."""
    shown = anchors(data)
    placed: dict[str, list[str]] = {}
    for path, message in problems:
        path = tuple(path)
        if len(path) >= 2 and path[-2:-1] == ("show_if",) and path[-1] == "equals":
            path = (*path[:-1], "in")
        while path not in shown:
            path = path[:-1]
        named = next((part for part in reversed(path) if isinstance(part, str)), None)
        if named and message.startswith(f"{named}: "):
            message = message[len(named) + 2:]  # the field beside it already says which key
        messages = placed.setdefault(field_name(path), [])
        if message not in messages:
            messages.append(message)
    return placed


# ---- the file ---------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style, multi-line texts as literal blocks, so a person can edit the file."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict) -> str:
    """The survey data as a YAML file, keys in the editor's order, UTF-8 text."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def starter_survey(survey_id: str, title: str) -> dict:
    """A small complete survey to start from: one map question for the three values, consent."""
    return {
        "format": 1, "id": survey_id, "title": {"sv": title}, "languages": ["sv"],
        "pages": [{
            "id": "kartan", "title": {"sv": "Kartan"},
            "questions": [
                {"id": "karta", "type": "map_pin",
                 "text": {"sv": "Markera platser där du känner dig trygg eller otrygg, där "
                                "något är orättvist eller där något kan utvecklas."},
                 "values": list(VALUES)},
                {"id": "samtycke", "type": "consent",
                 "text": {"sv": "Jag vill skicka in mina svar."}},
            ],
        }],
    }
