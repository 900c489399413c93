"""Per-question answer errors in Swedish and English, as a resident reads them."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_question": {
        "sv": "Frågan finns inte i enkäten.",
        "en": "There is no such question in this survey.",
    },
    "not_answerable": {
        "sv": "Det här är en informationstext som inte kan besvaras.",
        "en": "This is an information text and cannot be answered.",
    },
    "required": {"sv": "Frågan behöver besvaras.", "en": "This question needs an answer."},
    "consent_required": {
        "sv": "Du behöver ge ditt samtycke för att kunna skicka in dina svar.",
        "en": "You need to give your consent to send in your answers.",
    },
    "wrong_type": {
        "sv": "Svaret ska vara {kind}.",
        "en": "The answer should be {kind}.",
    },
    "unknown_option": {
        "sv": "”{option}” är inte ett av alternativen.",
        "en": "“{option}” is not one of the options.",
    },
    "other_text_required": {
        "sv": "Skriv vad du menar med ”annat”.",
        "en": "Please say what you mean by “other”.",
    },
    "too_long": {
        "sv": "Svaret är för långt: {length} tecken, högst {max} får plats.",
        "en": "The answer is too long: {length} characters, at most {max} fit.",
    },
    "likert_range": {
        "sv": "Välj ett värde från 1 till 5.",
        "en": "Choose a value from 1 to 5.",
    },
    "number_min": {
        "sv": "Värdet ska vara minst {min}.",
        "en": "The value should be at least {min}.",
    },
    "number_max": {
        "sv": "Värdet ska vara högst {max}.",
        "en": "The value should be at most {max}.",
    },
    "number_integer": {"sv": "Ange ett heltal.", "en": "Enter a whole number."},
    "ranking_permutation": {
        "sv": "Rangordna alla alternativ, vart och ett en gång.",
        "en": "Rank every option, each one once.",
    },
    "too_few_pins": {
        "sv": "Sätt ut minst {min} markeringar på kartan.",
        "en": "Place at least {min} markers on the map.",
    },
    "too_many_pins": {
        "sv": "Du kan sätta ut högst {max} markeringar på kartan.",
        "en": "You can place at most {max} markers on the map.",
    },
    "pin": {"sv": "Markering {n}: {reason}", "en": "Marker {n}: {reason}"},
    "pin_shape": {"sv": "uppgifterna saknas.", "en": "the details are missing."},
    "pin_key": {"sv": "okänd uppgift ”{key}”.", "en": "unknown detail “{key}”."},
    "pin_value": {
        "sv": "välj trygghet, rättvisa eller utvecklingsmöjligheter bland de som frågan gäller.",
        "en": "choose safety, justice or development opportunities among those this question "
        "is about.",
    },
    "pin_sentiment": {
        "sv": "välj om det är något positivt, ett problem eller en idé.",
        "en": "choose whether it is something positive, a problem or an idea.",
    },
    "pin_position": {
        "sv": "platsen på kartan saknas eller är ogiltig.",
        "en": "the place on the map is missing or invalid.",
    },
    "pin_category": {"sv": "välj en av kategorierna.", "en": "choose one of the categories."},
    "pin_photo": {
        "sv": "den här frågan tar inte emot foton.",
        "en": "this question does not take photos.",
    },
    "pin_comment_long": {
        "sv": "kommentaren är för lång (högst {max} tecken).",
        "en": "the comment is too long (at most {max} characters).",
    },
}

KINDS: dict[str, dict[str, str]] = {
    "option": {"sv": "ett av alternativen", "en": "one of the options"},
    "options": {"sv": "en lista med alternativ", "en": "a list of options"},
    "number": {"sv": "ett tal", "en": "a number"},
    "text": {"sv": "en text", "en": "a text"},
    "likert": {"sv": "ett värde från 1 till 5", "en": "a value from 1 to 5"},
    "consent": {"sv": "ja eller nej", "en": "yes or no"},
    "pins": {"sv": "en lista med kartmarkeringar", "en": "a list of map markers"},
}


def message(message_key: str, lang: str, **params: object) -> str:
    """Return the sentence `message_key` in English when `lang` is English, otherwise in Swedish."""
    lang = "en" if lang.split("-")[0] == "en" else "sv"
    if "kind" in params:
        params["kind"] = KINDS[str(params["kind"])][lang]
    return MESSAGES[message_key][lang].format(**params)
