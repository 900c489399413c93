"""Sign-in through the municipality's identity provider: out to it, and back with a code."""

from __future__ import annotations

import requests
from authlib.integrations.base_client import OAuthError
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError

from ..extensions import db, limiter
from . import oidc
from .forms import LoginForm
from .routes import _start_session, bp
from .secretbox import SecretUnreadable


@bp.route("/sso/<kommunkod>")
@limiter.limit("30 per minute")
def sso_start(kommunkod: str):
    """Send the person to the municipality's login service (state and nonce kept in the session)."""
    provider = oidc.provider_for(kommunkod)
    if provider is None:
        abort(404)
    try:
        client = oidc.client_for(provider)
        return client.authorize_redirect(oidc.callback_url(kommunkod))
    except (requests.RequestException, ValueError, SecretUnreadable):
        return _refused(oidc.SignInRefused(_unreachable(), 502))


@bp.route("/sso/<kommunkod>/tillbaka")
@limiter.limit("30 per minute")
def sso_callback(kommunkod: str):
    """Back from the login service: check the ID token, find the account, start the session."""
    provider = oidc.provider_for(kommunkod)
    if provider is None:
        abort(404)
    try:
        claims = oidc.verified_claims(provider)
        user = oidc.sign_in(provider, oidc.person_from(provider, claims))
    except oidc.SignInRefused as refused:
        db.session.rollback()
        return _refused(refused)
    except (OAuthError, JoseError, KeyError) as error:
        db.session.rollback()
        return _refused(oidc.SignInRefused(_not_accepted(error), 400))
    except (requests.RequestException, SecretUnreadable):
        db.session.rollback()
        return _refused(oidc.SignInRefused(_unreachable(), 502))
    _start_session(user)
    db.session.commit()
    return redirect(url_for("planner.index"))


def _unreachable() -> str:
    return _("The municipality's login service cannot be reached just now. Try again in a while.")


def _not_accepted(error: Exception) -> str:
    # The detail (wrong audience, expired, bad signature) is for the log, not for the page.
    current_app.logger.warning("OpenID Connect sign-in refused: %s", error)
    return _("The login service's answer could not be accepted. Try to log in again.")


def _refused(refused: oidc.SignInRefused):
    """The login page again, with the reason, and the status that fits it."""
    flash(str(refused.message), "error")
    return render_template("auth/login.html", form=LoginForm(), providers=oidc.enabled_providers()), \
        refused.status
