"""User-facing messages of the area import: Swedish first, English beside it."""

from __future__ import annotations

from collections.abc import Iterable


def format_value(value: object, lang: str) -> str:
    """Format one message parameter the way a reader of `lang` writes it."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", "\u00a0") if lang == "sv" else text
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return format_value(int(value), lang)
    if isinstance(value, float):
        if abs(value) >= 1 or value == 0:
            text = f"{value:,.{0 if abs(value) >= 100 else 1}f}"
        else:
            text = f"{value:.2g}"
        if lang == "sv":
            # Swedish: space between thousands, comma before decimals.
            text = text.replace(",", "\u00a0").replace(".", ",")
        return text
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(format_value(item, lang) for item in value)
    return str(value)


class _Bilingual:
    """A message template in Swedish and English, filled with the same parameters."""

    code: str
    message_sv: str
    message_en: str
    params: dict[str, object]

    def message(self, lang: str = "sv") -> str:
        """Return the message in `lang` ('sv' or 'en'; anything else gets Swedish)."""
        lang = "en" if lang.lower().startswith("en") else "sv"
        template = self.message_en if lang == "en" else self.message_sv
        return template.format(**{k: format_value(v, lang) for k, v in self.params.items()})


class AreaImportError(_Bilingual, ValueError):
    """A file that cannot become a development area; str(err) is a plain sentence for the user."""

    def __init__(self, code: str, message_sv: str, message_en: str, **params: object) -> None:
        self.code = code
        self.message_sv = message_sv
        self.message_en = message_en
        self.params = params
        super().__init__(self.message("sv"))

    def __str__(self) -> str:
        return self.message("sv")


class ImportNote(_Bilingual, str):
    """A sentence about the import to show the user; it is a str (Swedish) with an English twin."""

    def __new__(cls, code: str, message_sv: str, message_en: str, **params: object) -> ImportNote:
        self = super().__new__(
            cls, message_sv.format(**{k: format_value(v, "sv") for k, v in params.items()})
        )
        self.code = code
        self.message_sv = message_sv
        self.message_en = message_en
        self.params = params
        return self
