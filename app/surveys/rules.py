"""Rules of the survey format that a JSON Schema cannot say: ids, conditions, languages, consent.

Every rule reads the raw YAML data defensively, because it also runs on files that broke the
schema: a planner should see all problems of a file at once, not one per attempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

PathT = tuple[str | int, ...]
Found = tuple[PathT, str]

_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*$")
# A comma inside {sv: a, b} splits the text into a new key "b" with no value.
COMMA_HINT = ("'{key}' blev en egen nyckel utan värde; en text med kommatecken inom {{ }} "
              "måste stå inom citattecken, till exempel {{sv: \"Ja, gärna\"}}.")
VALUES = ("safety", "justice", "development")
CHOICE_TYPES = ("single_choice", "multi_choice")
OPTION_TYPES = ("single_choice", "multi_choice", "ranking")
TYPE_NAMES = {
    "single_choice": "Envalsfrågan",
    "multi_choice": "Flervalsfrågan",
    "ranking": "Rangordningsfrågan",
}


def iter_questions(data: Any) -> Iterator[tuple[PathT, dict]]:
    """Yield (path, question mapping) for every question that is a mapping, in file order."""
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, list):
        return
    for p, page in enumerate(pages):
        questions = page.get("questions") if isinstance(page, dict) else None
        if not isinstance(questions, list):
            continue
        for q, question in enumerate(questions):
            if isinstance(question, dict):
                yield ("pages", p, "questions", q), question


def iter_localized(data: Any) -> Iterator[tuple[PathT, Any]]:
    """Yield (path, text) for every text a resident or planner reads, in any of its places."""
    if not isinstance(data, dict):
        return
    for key in ("title", "description", "intro"):
        if key in data:
            yield (key,), data[key]
    pages = data.get("pages") if isinstance(data.get("pages"), list) else []
    for p, page in enumerate(pages):
        if isinstance(page, dict):
            for key in ("title", "intro"):
                if key in page:
                    yield ("pages", p, key), page[key]
    for path, question in iter_questions(data):
        for key in ("text", "help", "unit"):
            if key in question:
                yield (*path, key), question[key]
        for key in ("options", "categories"):
            options = question.get(key)
            for i, option in enumerate(options if isinstance(options, list) else []):
                if isinstance(option, dict) and "label" in option:
                    yield (*path, key, i, "label"), option["label"]
        for key in ("labels", "prompts"):
            texts = question.get(key)
            for name, text in (texts.items() if isinstance(texts, dict) else []):
                yield (*path, key, name), text


def semantic_problems(data: Any) -> list[Found]:
    """Return (path, Swedish sentence) for every rule broken in `data`."""
    if not isinstance(data, dict):
        return [((), "Filen ska innehålla en enkät: en mappning med id, title, languages "
                 "och pages.")]
    found: list[Found] = []
    found += _languages(data)
    found += _ids(data)
    found += _show_if(data)
    for path, question in iter_questions(data):
        found += _question(path, question)
    found += _consent(data)
    found += _population(data)
    return found


def _languages(data: dict) -> list[Found]:
    declared = data.get("languages")
    if not isinstance(declared, list):
        return []
    found: list[Found] = []
    if "sv" not in declared:
        found.append((("languages",), "Svenska (sv) måste finnas bland languages."))
    reported: set[str] = set()
    for path, text in iter_localized(data):
        if not isinstance(text, dict):
            continue
        for lang, value in text.items():
            if value is None and isinstance(lang, str) and not _LANG.match(lang):
                found.append(((*path, lang), COMMA_HINT.format(key=lang)))
                continue
            if isinstance(lang, str) and lang not in declared and lang not in reported:
                reported.add(lang)
                found.append(((*path, lang), f"Språket '{lang}' används i en text men finns "
                              f"inte i languages ({', '.join(map(str, declared))})."))
    return found


def _ids(data: dict) -> list[Found]:
    found: list[Found] = []
    seen_pages: set[str] = set()
    for p, page in enumerate(data.get("pages") or []):
        pid = page.get("id") if isinstance(page, dict) else None
        if isinstance(pid, str):
            if pid in seen_pages:
                found.append((("pages", p, "id"), f"Sidan '{pid}' finns redan; varje sida "
                              "behöver ett eget id."))
            seen_pages.add(pid)
    seen: set[str] = set()
    for path, question in iter_questions(data):
        qid = question.get("id")
        if isinstance(qid, str):
            if qid in seen:
                found.append(((*path, "id"), f"Frågan '{qid}' finns redan; varje fråga behöver "
                              "ett eget id."))
            seen.add(qid)
    return found


def _option_ids(question: dict) -> list[str]:
    options = question.get("options")
    ids = [o.get("id") for o in options if isinstance(o, dict)] if isinstance(options, list) else []
    if question.get("other") is True:
        ids.append("other")
    return [i for i in ids if isinstance(i, str)]


def _show_if(data: dict) -> list[Found]:
    found: list[Found] = []
    earlier: dict[str, dict] = {}
    every = {q["id"] for _, q in iter_questions(data) if isinstance(q.get("id"), str)}
    for path, question in iter_questions(data):
        condition = question.get("show_if")
        qid = question.get("id")
        if isinstance(condition, dict) and isinstance(condition.get("question"), str):
            target_id = condition["question"]
            where = (*path, "show_if", "question")
            if target_id == qid:
                found.append((where, f"Villkoret i '{qid}' pekar på frågan själv."))
            elif target_id not in every:
                found.append((where, f"Villkoret i '{qid}' pekar på frågan '{target_id}', "
                              "som inte finns."))
            elif target_id not in earlier:
                found.append((where, f"Villkoret i '{qid}' pekar på frågan '{target_id}', "
                              "som kommer senare; ett villkor kan bara bygga på tidigare svar."))
            else:
                found += _condition_options(path, qid, condition, earlier[target_id])
        if isinstance(qid, str):
            earlier.setdefault(qid, question)
    return found


def _condition_options(path: PathT, qid: Any, condition: dict, target: dict) -> list[Found]:
    target_id = condition["question"]
    if target.get("type") not in CHOICE_TYPES:
        return [((*path, "show_if", "question"), f"Villkoret i '{qid}' pekar på '{target_id}', "
                 "men villkor kan bara bygga på envals- eller flervalsfrågor.")]
    wanted = condition.get("in") if "in" in condition else [condition.get("equals")]
    key = "in" if "in" in condition else "equals"
    known = _option_ids(target)
    missing = [w for w in (wanted if isinstance(wanted, list) else []) if w not in known]
    return [((*path, "show_if", key), f"Villkoret i '{qid}' väntar sig svaret '{w}', men "
             f"frågan '{target_id}' har inget sådant alternativ ({', '.join(known)}).")
            for w in missing]


def _question(path: PathT, q: dict) -> list[Found]:
    qtype, qid = q.get("type"), q.get("id")
    found: list[Found] = []
    if qtype in OPTION_TYPES:
        found += _options(path, q, "options", TYPE_NAMES[qtype])
    if qtype == "map_pin":
        found += _map_pin(path, q)
    if qtype == "number":
        low, high = q.get("min"), q.get("max")
        if _is_number(low) and _is_number(high) and low > high:
            found.append(((*path, "min"), f"Frågan '{qid}' har min ({low}) större än max "
                          f"({high})."))
    if qtype == "likert":
        labels = q.get("labels")
        if not isinstance(labels, dict) or "low" not in labels or "high" not in labels:
            found.append(((*path, "labels") if "labels" in q else path,
                          f"Skalfrågan '{qid}' behöver text för båda ändarna av skalan "
                          "(labels: low och high)."))
    if q.get("demographic") is True and q.get("required") is True:
        found.append(((*path, "required"), f"Bakgrundsfrågan '{qid}' får inte vara obligatorisk; "
                      "bakgrundsfrågor är alltid frivilliga."))
    if qtype == "consent" and q.get("required") is False:
        found.append(((*path, "required"), f"Samtyckesfrågan '{qid}' måste vara obligatorisk; "
                      "utan samtycke kan svaren inte skickas in."))
    if qtype == "info" and q.get("required") is True:
        found.append(((*path, "required"), f"Informationsblocket '{qid}' kan inte besvaras och "
                      "kan därför inte vara obligatoriskt."))
    return found


def _options(path: PathT, q: dict, key: str, name: str) -> list[Found]:
    options = q.get(key)
    qid = q.get("id")
    if not isinstance(options, list):
        if key == "options" and options is None:
            return [((*path, key) if key in q else path,
                     f"{name} '{qid}' har inga svarsalternativ (options).")]
        return []
    found: list[Found] = []
    minimum = 2 if q.get("type") == "ranking" and key == "options" else 1
    if len(options) < minimum:
        found.append(((*path, key), f"{name} '{qid}' behöver minst {minimum} svarsalternativ."))
    seen: set[str] = set()
    if key == "options" and q.get("other") is True:
        seen.add("other")  # the "annat, nämligen" choice is called other
    for i, option in enumerate(options):
        oid = option.get("id") if isinstance(option, dict) else None
        if isinstance(oid, str):
            if oid in seen:
                found.append(((*path, key, i, "id"), f"Alternativet '{oid}' finns två gånger i "
                              f"'{qid}'." + (" Id:t other används av 'annat, nämligen'."
                                             if oid == "other" else "")))
            seen.add(oid)
    return found


def _map_pin(path: PathT, q: dict) -> list[Found]:
    qid = q.get("id")
    found: list[Found] = []
    low, high = q.get("min_pins", 0), q.get("max_pins")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        found.append(((*path, "min_pins"), f"Kartfrågan '{qid}' har min_pins ({low}) större än "
                      f"max_pins ({high})."))
    values = q.get("values")
    values = [values] if isinstance(values, str) else values
    prompts = q.get("prompts")
    if isinstance(values, list) and isinstance(prompts, dict):
        for value in prompts:
            if value in VALUES and value not in values:
                found.append(((*path, "prompts", value), f"Kartfrågan '{qid}' har en uppmaning "
                              f"för '{value}', men samlar inte in det värdet."))
    if "categories" in q:
        found += _options(path, q, "categories", "Kartfrågan")
    found += _shape_limits(path, q)
    return found


_SHAPE_LIMITS = {"max_length_km": ("line", "linjer (shape: line)"),
                 "min_area_m2": ("area", "områden (shape: area)"),
                 "max_area_m2": ("area", "områden (shape: area)")}


def _shape_limits(path: PathT, q: dict) -> list[Found]:
    """A drawn answer's limits belong to its shape, and an area's smallest is below its largest."""
    qid, shape = q.get("id"), q.get("shape", "point")
    found: list[Found] = []
    for key, (wanted, words) in _SHAPE_LIMITS.items():
        if key in q and shape != wanted and shape in ("point", "line", "area"):
            found.append(((*path, key), f"Kartfrågan '{qid}' har {key}, men det gäller bara "
                          f"{words}; frågan har shape: {shape}."))
    low, high = q.get("min_area_m2"), q.get("max_area_m2")
    if _is_number(low) and _is_number(high) and low > high:
        found.append(((*path, "min_area_m2"), f"Kartfrågan '{qid}' har min_area_m2 ({low}) "
                      f"större än max_area_m2 ({high})."))
    return found


def _consent(data: dict) -> list[Found]:
    if not isinstance(data.get("pages"), list):
        return []
    if any(q.get("type") == "consent" for _, q in iter_questions(data)):
        return []
    return [(("pages",), "Enkäten saknar en samtyckesfråga (type: consent); utan samtycke "
             "kan inga svar skickas in.")]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


DIMENSION_NAMES = {"age": "ålder", "sex": "kön", "birth_country": "födelseland",
                   "tenure": "upplåtelseform"}


def _population(data: dict) -> list[Found]:
    """The population mapping names demographic single-choice questions and their options."""
    mappings = data.get("population")
    if not isinstance(mappings, list):
        return []
    questions = {q.get("id"): q for _, q in iter_questions(data)}
    found: list[Found] = []
    dimensions: set[str] = set()
    for i, mapping in enumerate(mappings):
        if not isinstance(mapping, dict):
            continue
        path: PathT = ("population", i)
        qid, dimension, groups = mapping.get("question"), mapping.get("dimension"), mapping.get("groups")
        if isinstance(dimension, str):
            if dimension in dimensions:
                found.append(((*path, "dimension"), f"Dimensionen '{dimension}' "
                              f"({DIMENSION_NAMES.get(dimension, dimension)}) kopplas två gånger; "
                              "varje dimension får kopplas till en fråga."))
            dimensions.add(dimension)
        if not isinstance(qid, str):
            continue
        question = questions.get(qid)
        if question is None:
            found.append(((*path, "question"), f"Frågan '{qid}' finns inte i enkäten."))
            continue
        if question.get("type") != "single_choice" or question.get("demographic") is not True:
            found.append(((*path, "question"), f"Frågan '{qid}' ska vara en envalsfråga "
                          "(single_choice) med demographic: true för att jämföras med "
                          "befolkningen."))
            continue
        if not isinstance(groups, dict):
            continue
        options = {o.get("id") for o in question.get("options") or [] if isinstance(o, dict)}
        owner: dict[str, str] = {}
        for option_id, labels in groups.items():
            if option_id not in options:
                found.append(((*path, "groups", option_id), f"Frågan '{qid}' har inget "
                              f"svarsalternativ '{option_id}'."))
            for label in labels if isinstance(labels, list) else []:
                if not isinstance(label, str):
                    continue
                key = group_key(label)
                if key in owner and owner[key] != option_id:
                    found.append(((*path, "groups", option_id), f"Befolkningsgruppen '{label}' "
                                  f"hör redan till '{owner[key]}'; en grupp kan bara räknas "
                                  "till ett svarsalternativ."))
                owner.setdefault(key, option_id)
    return found


def group_key(label: str) -> str:
    """A population group label compared loosely: '80+ år', '80- år' and '80-' are one band."""
    text = label.casefold().replace("–", "-").replace("—", "-").replace("+", "-")
    text = re.sub(r"\bår\b", "", text)
    return re.sub(r"\s+", "", text)
