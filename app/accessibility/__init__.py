"""The accessibility statement (tillgänglighetsredogörelse) that every page links to.

What DIGG requires: the conformance level, known inaccessible content with reasons, the method
and date of the assessment, the date of the last update, how to report a problem, and the link
to DIGG's complaint form. The known issues are data kept in the repository (known_issues.yaml)
and checked by tests; the installation fills in what only it knows (ACCESSIBILITY_STATEMENT).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from flask import Blueprint, Flask, current_app, has_request_context, render_template, url_for
from flask_babel import get_locale

KNOWN_ISSUES = Path(__file__).with_name("known_issues.yaml")
# DIGG's form for reporting a public body's inaccessible digital service (tillsyn).
DIGG_COMPLAINT_URL = "https://www.digg.se/tdosanmalan"
CONFORMANCE_LEVELS = ("full", "partial", "none")

bp = Blueprint("accessibility", __name__)


@dataclass(frozen=True)
class KnownIssue:
    """One piece of content that does not meet WCAG 2.1 AA, with the reason and the way around it."""

    id: str
    check: str
    criteria: tuple[str, ...]
    where: dict
    problem: dict
    reason: dict


@cache
def known_issues_file() -> dict:
    """The repository's list of known issues, with the conformance level and the assessment."""
    data = yaml.safe_load(KNOWN_ISSUES.read_text(encoding="utf-8"))
    if data["conformance"] not in CONFORMANCE_LEVELS:
        raise ValueError(f"{KNOWN_ISSUES}: conformance must be one of {CONFORMANCE_LEVELS}")
    data["issues"] = tuple(
        KnownIssue(id=i["id"], check=i["check"], criteria=tuple(i["criteria"]), where=i["where"],
                   problem=i["problem"], reason=i["reason"])
        for i in data.get("issues") or ()
    )
    return data


def localized(texts: dict, lang: str) -> str:
    """The text in the page's language, else the Swedish one."""
    return texts.get(lang) or texts["sv"]


def statement() -> dict:
    """What the statement page shows: the repository's findings with the installation's settings."""
    data = known_issues_file()
    settings = dict(current_app.config.get("ACCESSIBILITY_STATEMENT") or {})
    lang = str(get_locale())
    return {
        "organisation": settings.get("organisation") or "",
        "email": settings.get("email") or "",
        "phone": settings.get("phone") or "",
        "response_days": settings.get("response_days"),
        "published_on": _as_date(settings.get("published_on")),
        "conformance": settings.get("conformance") or data["conformance"],
        "assessed_on": _as_date(settings.get("assessed_on") or data["assessed_on"]),
        "updated_on": _as_date(settings.get("updated_on") or data["updated_on"]),
        "method": settings.get("method") or localized(data["method"], lang),
        "issues": [
            {"id": i.id, "criteria": i.criteria, "where": localized(i.where, lang),
             "problem": localized(i.problem, lang), "reason": localized(i.reason, lang)}
            for i in data["issues"]
        ],
        "complaint_url": DIGG_COMPLAINT_URL,
    }


def _as_date(value) -> date | None:
    """A date from the YAML file or the config (a date, or text as 2026-12-01)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@bp.route("/tillganglighet")
def statement_page():
    """The accessibility statement of this installation."""
    return render_template("accessibility/statement.html", s=statement())


def statement_url() -> str:
    """The statement's absolute address, for documents read away from the site (the HTML report)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + "/tillganglighet"
    if has_request_context():
        return url_for("accessibility.statement_page", _external=True)
    return "/tillganglighet"  # made by the CLI without a request: the path is all we know


def init_app(app: Flask) -> None:
    """Register the statement page, and its address for templates of downloaded documents."""
    app.register_blueprint(bp)
    app.jinja_env.globals["accessibility_statement_url"] = statement_url
