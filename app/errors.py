"""Faults answered plainly: a database that is down or locked is a 503 to retry, never a traceback.

A resident whose submission meets a restarting PostgreSQL or a SpatiaLite file locked by another
writer gets "503 Service Unavailable" with Retry-After; the request's transaction is rolled back, so
resending the same submission (same idempotency key) stores it exactly once. Any other unhandled
error is a plain 500 page. JSON requests get a JSON body instead of a page.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import InternalServerError

from .extensions import db

RETRY_AFTER_SECONDS = 5

# SQLite/SpatiaLite messages that mean "someone else holds the file right now".
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_unavailable(error: BaseException) -> bool:
    """True when the error means the database is down, restarting or locked: worth a retry."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency, but SQLite needs none
        psycopg = None
    if psycopg is not None and isinstance(error, psycopg.OperationalError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    driver = type(error.orig).__module__
    if "sqlite" in driver or "sqlean" in driver:
        # SQLite says OperationalError for a missing table too: only a busy file is a retry.
        return any(text in str(error.orig).lower() for text in _SQLITE_BUSY)
    return isinstance(error, OperationalError)  # connection refused, server shut down, ...


def wants_json() -> bool:
    """True when the client sent or asked for JSON rather than a page."""
    if request.is_json or request.path.startswith("/api/"):
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def _rollback() -> None:
    """Throw away the failed transaction; a broken connection must not poison the next request."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        current_app.logger.warning("rollback after a database fault failed", exc_info=True)


def _plain_page(code: int, message: str):
    """The error page, or, if even that cannot be rendered, a bare HTML sentence."""
    from .extensions import login_manager

    # The page header asks who is logged in; with the database down that would fail again.
    g._login_user = login_manager.anonymous_user()
    try:
        return render_template("error.html", code=code)
    except Exception:  # noqa: BLE001 - last resort: a fixed sentence, still no traceback
        current_app.logger.exception("the error page could not be rendered")
        return f"<!doctype html><title>{code}</title><h1>{message}</h1>"


def service_unavailable(error: Exception):
    """503 with Retry-After for a database that is down or locked; the transaction is rolled back."""
    current_app.logger.warning("database unavailable: %s", str(error).splitlines()[0][:200])
    _rollback()
    message = _("The service is busy – try again in a moment")
    body = jsonify(error="unavailable", message=message) if wants_json() else _plain_page(503, message)
    response = current_app.make_response((body, 503))
    response.headers["Retry-After"] = str(current_app.config.get("RETRY_AFTER_SECONDS", RETRY_AFTER_SECONDS))
    response.headers["Cache-Control"] = "no-store"
    return response


def internal_error(error: InternalServerError):
    """A plain 500: the details go to the log, never to the person in front of the page."""
    original = getattr(error, "original_exception", None)
    if original is not None and is_unavailable(original):
        return service_unavailable(original)
    _rollback()
    message = _("Something went wrong on our side")
    body = jsonify(error="internal", message=message) if wants_json() else _plain_page(500, message)
    return current_app.make_response((body, 500))


def init_app(app: Flask) -> None:
    """Register the fault handlers (after the generic error pages, so these win)."""

    def database_error(error: DBAPIError):
        if is_unavailable(error):
            return service_unavailable(error)
        if app.config.get("PROPAGATE_EXCEPTIONS") or (
            app.config.get("PROPAGATE_EXCEPTIONS") is None and (app.testing or app.debug)
        ):
            raise error  # in tests and debugging, a real database bug should show its traceback
        current_app.logger.error("database error", exc_info=error)
        return internal_error(InternalServerError(original_exception=error))

    @app.teardown_appcontext
    def close_session_quietly(_error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's own teardown (teardowns run last-registered first). If
        # the server went away after the response was made, closing the session fails; that
        # must not turn a finished response into a 500.
        try:
            db.session.remove()
        except DBAPIError:
            app.logger.warning("closing a session on a lost connection failed", exc_info=True)
            db.session.registry.clear()

    @app.before_request
    def refuse_nul_in_address():
        # No address holds a NUL byte, and PostgreSQL cannot compare one: a plain 400 before any
        # slug or parameter reaches a query. (Comment text is cleaned of control characters.)
        if "\x00" in request.path or _has_nul(request.args.values()):
            abort(400)

    app.register_error_handler(DBAPIError, database_error)
    try:
        import psycopg

        app.register_error_handler(psycopg.OperationalError, service_unavailable)
    except ImportError:  # pragma: no cover
        pass
    app.register_error_handler(InternalServerError, internal_error)
