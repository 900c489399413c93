"""Site administration: a municipality's sign-in through its identity provider, and its passwords."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..access import site_admin_required
from ..auth.oidc import ProviderSettingsInvalid, callback_url, configure_provider
from ..domain import ROLES
from ..extensions import db
from ..models import Municipality
from ..models.audit import record
from .site import bp


class SignInForm(FlaskForm):
    enabled = BooleanField(_l("Staff sign in through the municipality's login service"))
    issuer = StringField(_l("Issuer (OpenID Connect)"), validators=[Optional(), Length(max=500)])
    client_id = StringField(_l("Client id"), validators=[Optional(), Length(max=200)])
    client_secret = PasswordField(_l("Client secret"), validators=[Optional(), Length(max=500)])
    email_claim = StringField(_l("Claim with the e-mail address"), default="email",
                              validators=[Optional(), Length(max=60)])
    group_claim = StringField(_l("Claim with the groups (optional)"), validators=[Optional(), Length(max=60)])
    group_roles = TextAreaField(_l("Groups and roles, one per line: group = role"),
                                validators=[Optional(), Length(max=5000)])
    local_login_enabled = BooleanField(_l("Staff may also log in with a password"))


def _mapping(text: str) -> dict[str, str]:
    """'group = role' lines as a dict; a line without '=' or with an unknown role is refused."""
    mapping = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        group, sep, role = line.rpartition("=")
        if not sep or not group.strip() or role.strip() not in ROLES:
            raise ProviderSettingsInvalid(_l(
                "Write each line as group = role, where role is project_leader, working_group or "
                "steering_group: %(line)s", line=line.strip()))
        mapping[group.strip()] = role.strip()
    return mapping


@bp.route("/kommuner/<int:municipality_id>/inloggning", methods=["GET", "POST"])
@site_admin_required
def sign_in_settings(municipality_id: int):
    """How the municipality's staff sign in; the secret is never shown again."""
    municipality = db.get_or_404(Municipality, municipality_id)
    provider = municipality.identity_provider
    initial = {"local_login_enabled": municipality.local_login_enabled, "email_claim": "email"}
    if provider is not None:
        initial.update(enabled=provider.enabled, issuer=provider.issuer, client_id=provider.client_id,
                       email_claim=provider.email_claim, group_claim=provider.group_claim or "",
                       group_roles="\n".join(f"{g} = {r}" for g, r in (provider.group_roles or {}).items()))
    form = SignInForm() if request.method == "POST" else SignInForm(data=initial)
    status = 200
    if form.validate_on_submit():
        try:
            if form.issuer.data or provider is not None:
                configure_provider(
                    municipality, issuer=form.issuer.data or "", client_id=form.client_id.data or "",
                    client_secret=form.client_secret.data or None,
                    email_claim=form.email_claim.data or "email", group_claim=form.group_claim.data,
                    group_roles=_mapping(form.group_roles.data), enabled=form.enabled.data,
                    actor=current_user)
            if not form.local_login_enabled.data and not (form.enabled.data and form.issuer.data):
                raise ProviderSettingsInvalid(_l(
                    "Turn passwords off only when staff can sign in through the login service."))
        except ProviderSettingsInvalid as invalid:
            db.session.rollback()
            flash(str(invalid), "error")
            status = 400
        else:
            if municipality.local_login_enabled != form.local_login_enabled.data:
                municipality.local_login_enabled = form.local_login_enabled.data
                record("municipality.passwords", user=current_user, municipality_id=municipality.id,
                       obj=municipality, allowed=form.local_login_enabled.data)
            db.session.commit()
            flash(_("The sign-in settings are saved."), "success")
            return redirect(url_for("site_admin.sign_in_settings", municipality_id=municipality.id))
    elif form.is_submitted():
        status = 400
    html = render_template("admin/sign_in.html", form=form, municipality=municipality,
                           has_secret=provider is not None, redirect_uri=callback_url(municipality.kommunkod))
    return html, status, {"Cache-Control": "no-store"}
