"""Languages: Swedish first, English beside it; the resident may pick any language a survey has.

Lättläst svenska (easy-to-read Swedish, the survey language "sv-lattlast") has no Babel locale.
Its interface sentences are a second catalog domain, `lattlast`
(app/translations/sv/LC_MESSAGES/lattlast.po), keyed by the same English msgids: a resident who
chose it gets the Swedish catalog with those sentences laid over it, and plain Swedish for the rest.
"""

from __future__ import annotations

from babel import support
from flask import Flask, g, has_request_context, request, session
from flask_babel import Domain, format_datetime, format_decimal, get_locale

from .extensions import babel
from .typography import soft_hyphens

# Right-to-left scripts among the languages a survey may carry.
RTL_LANGUAGES = {"ar", "fa", "he", "ku", "ps", "ur"}


def interface_language() -> str:
    """The language of the interface for this request: ?lang=, then the session, then the browser."""
    from flask import current_app

    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command: Swedish, the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked:
        session["lang"] = asked[:12]
    chosen = session.get("lang")
    if chosen in supported:
        return chosen
    if chosen:  # a survey language without an interface translation, e.g. Somali
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def content_language() -> str:
    """The language the resident asked for, which may be a survey-only language such as 'so'."""
    return session.get("lang") or str(get_locale())


EASY_SWEDISH = "sv-lattlast"


class EasySwedishDomain(Domain):
    """The Swedish catalog with the easy-to-read sentences of the `lattlast` domain laid over it."""

    def get_translations(self):
        """The merged catalog for the request's locale (plain Swedish where no easy sentence exists)."""
        locale = get_locale()
        key = (str(locale), "lattlast")
        if key not in self.cache:
            translations = support.Translations()
            for dirname in self.translation_directories:
                for domain in ("messages", "lattlast"):  # later ones win
                    catalog = support.Translations.load(dirname, [locale], domain)
                    translations.merge(catalog)
                    if hasattr(catalog, "plural"):
                        translations.plural = catalog.plural
            self.cache[key] = translations
        return self.cache[key]


_easy_domain = EasySwedishDomain()


def use_easy_swedish_if_chosen() -> None:
    """Before a request: the easy-to-read catalog when the resident chose Lättläst svenska."""
    if request.endpoint == "static" or request.blueprint in ("basemap", "vendor"):
        return  # files and tiles: no session read, so their answers do not vary by cookie
    if str(get_locale()) == "sv" and content_language() == EASY_SWEDISH:
        _easy_domain.as_default()


def text_direction(lang: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"


def number(value) -> str:
    """A number as the page's language writes it ("12 345", "0,99" in Swedish)."""
    return format_decimal(value)


def length_text(metres: float) -> str:
    """A route's length as a reader says it: "420 m" (to 10 m), from a kilometre "1,3 km"."""
    if metres < 1000:
        return f"{format_decimal(max(10, round(metres, -1)))} m"
    return f"{format_decimal(round(metres / 1000, 1))} km"


def area_text(square_metres: float) -> str:
    """An area as a reader says it: "850 m²" below a hectare, then "1,2 ha"."""
    if square_metres < 10_000:
        return f"{format_decimal(max(10, round(square_metres, -1)))} m²"
    return f"{format_decimal(round(square_metres / 10_000, 1))} ha"


def shape_label(pin) -> str | None:
    """"Sträcka 420 m" / "Område 1,2 ha" for a drawn route or area; None for a point."""
    from flask_babel import gettext as _

    if pin.shape_kind == "line":
        return (_("Route %(length)s", length=length_text(pin.length_m)) if pin.length_m
                else _("Route"))
    if pin.shape_kind == "area":
        return (_("Area %(size)s", size=area_text(pin.area_m2)) if pin.area_m2
                else _("Drawn area"))
    return None


def datetime_text(value) -> str:
    """A moment in the municipality's time zone, as the page's language writes it."""
    return format_datetime(value, "short")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and expose the language, numbers and dates to templates."""
    babel.init_app(app, locale_selector=interface_language)
    app.before_request(use_easy_swedish_if_chosen)
    # Numbers in the page's language: "0,99" and "2,14" in Swedish, "0.99" in English.
    app.jinja_env.filters["decimal"] = lambda value, pattern="0.00": format_decimal(
        value, format=pattern)
    app.add_template_filter(number, "number")
    app.add_template_filter(datetime_text, "datetime_text")
    app.add_template_global(shape_label, "shape_label")
    app.add_template_filter(soft_hyphens, "soft_hyphens")  # long compounds in headings

    @app.context_processor
    def language_context():
        lang = getattr(g, "page_language", None) or str(get_locale())
        return {"page_lang": lang, "page_dir": text_direction(lang)}


def compile_catalogs() -> None:
    """Compile the .po translation catalogs to .mo files when they are missing or older."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (Path(__file__).parent / "translations").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
