"""Staff sign-in through the municipality's OpenID Connect provider (Entra ID, Keycloak, Sweden Connect).

Authlib's Flask client does the protocol: discovery, state and nonce in the session, the code
exchange, and the ID token's signature (the provider's JWKS), audience, expiry and nonce. We add
the issuer check against the configured issuer, then decide who the person is here: the e-mail
claim names the account, and the group claim, where the municipality sends one, gives the role.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from authlib.integrations.flask_client import OAuth
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..domain import ROLES
from ..extensions import db
from ..models import IdentityProvider, Membership, Municipality, User
from ..models.audit import record
from .secretbox import unseal

oauth = OAuth()
SCOPES = "openid email profile"
# The strongest role wins when a person is in several mapped groups.
ROLE_ORDER = ("project_leader", "working_group", "steering_group")
HTTP_TIMEOUT_SECONDS = 10


class SignInRefused(Exception):
    """The provider answered, but this person may not sign in here; the message says why."""

    def __init__(self, message, status: int = 403):
        super().__init__(str(message))
        self.message = message
        self.status = status


def provider_for(kommunkod: str) -> IdentityProvider | None:
    """The enabled identity provider of the municipality with this code."""
    return db.session.execute(
        select(IdentityProvider).join(Municipality)
        .where(Municipality.kommunkod == kommunkod, IdentityProvider.enabled.is_(True))
    ).scalar_one_or_none()


def enabled_providers() -> list[tuple[str, str]]:
    """(kommunkod, municipality name) of every municipality whose staff may sign in through its IdP."""
    rows = db.session.execute(
        select(Municipality.kommunkod, Municipality.name).join(IdentityProvider)
        .where(IdentityProvider.enabled.is_(True)).order_by(Municipality.name)
    ).all()
    return [(code, name) for code, name in rows]


def metadata_url(issuer: str) -> str:
    """The provider's discovery document (OpenID Connect Discovery 1.0)."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def client_for(provider: IdentityProvider):
    """Authlib's client for this provider; a changed setting gives a fresh client (and metadata)."""
    secret = unseal(provider.client_secret_encrypted)
    version = hashlib.sha256(
        "\n".join((provider.issuer, provider.client_id, secret)).encode()).hexdigest()[:16]
    name = f"kommun{provider.municipality_id}-{version}"
    client = oauth.create_client(name)
    if client is None:
        oauth.register(
            name, client_id=provider.client_id, client_secret=secret,
            server_metadata_url=metadata_url(provider.issuer),
            client_kwargs={"scope": SCOPES, "default_timeout": HTTP_TIMEOUT_SECONDS},
        )
        client = oauth.create_client(name)
    return client


def callback_url(kommunkod: str) -> str:
    """The redirect URI to register at the provider."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("auth.sso_callback", kommunkod=kommunkod)
    return base.rstrip("/") + path if base else url_for(
        "auth.sso_callback", kommunkod=kommunkod, _external=True)


def verified_claims(provider: IdentityProvider) -> dict:
    """Exchange the code of this callback request for checked ID token claims.

    Authlib checks signature, audience (our client id), expiry and nonce; the issuer must be the
    configured one, both in the discovery document and in the token.
    """
    client = client_for(provider)
    issuer = client.load_server_metadata().get("issuer")
    if issuer != provider.issuer:
        raise SignInRefused(_l("The login service says it is %(issuer)s, not the one configured.",
                               issuer=issuer), 502)
    token = client.authorize_access_token(
        claims_options={"iss": {"essential": True, "values": [provider.issuer]}})
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused(_l("The login service sent no ID token."), 502)
    return dict(claims)


@dataclass(frozen=True)
class Person:
    """Who the provider says signed in."""

    email: str
    name: str
    role: str | None  # from the group claim; None when the municipality maps no groups


def person_from(provider: IdentityProvider, claims: dict) -> Person:
    """The person in the claims: e-mail from the configured claim, role from the mapped groups."""
    email = claims.get(provider.email_claim)
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SignInRefused(_l("The login service sent no e-mail address (claim %(claim)s).",
                               claim=provider.email_claim), 400)
    role = None
    if provider.group_claim:
        groups = claims.get(provider.group_claim) or []
        groups = [groups] if isinstance(groups, str) else list(groups)
        roles = {provider.group_roles.get(str(group)) for group in groups} & set(ROLES)
        role = next((r for r in ROLE_ORDER if r in roles), None)
    name = claims.get("name") or " ".join(
        str(claims[k]) for k in ("given_name", "family_name") if claims.get(k)) or email
    return Person(email=email.strip().lower(), name=str(name)[:120], role=role)


def sign_in(provider: IdentityProvider, person: Person) -> User:
    """The account the person signs in to (created or given its role from the groups), or refused.

    An account that also works in another municipality, or runs the site or the network, signs
    in with its password: one municipality's provider must not open another's data.
    """
    municipality = provider.municipality
    not_member = SignInRefused(_l(
        "%(email)s has no role in %(municipality)s. Ask your project leader for an invitation.",
        email=person.email, municipality=municipality.name))
    if provider.group_claim and person.role is None:
        raise not_member
    user = db.session.execute(select(User).where(User.email == person.email)).scalar_one_or_none()
    if user is not None:
        if not user.active:
            raise SignInRefused(_l("This account is switched off."))
        elsewhere = [m for m in user.memberships if m.municipality_id != municipality.id]
        if elsewhere or user.is_site_admin or user.is_network_coordinator:
            raise SignInRefused(_l("This account works outside %(municipality)s too, so it signs in "
                                   "with its password.", municipality=municipality.name))
    if person.role is None:  # no groups mapped: only accounts the municipality invited
        if user is None or user.role_in(municipality.id) is None:
            raise not_member
        return user
    if user is None:
        user = User(email=person.email, display_name=person.name)
        db.session.add(user)
    membership = next((m for m in user.memberships if m.municipality_id == municipality.id), None)
    if membership is None:
        user.memberships.append(Membership(municipality=municipality, role=person.role))
        record("user.sso_join", municipality_id=municipality.id, email=person.email, role=person.role)
    elif membership.role != person.role:
        record("user.sso_role", municipality_id=municipality.id, email=person.email,
               previous=membership.role, role=person.role)
        membership.role = person.role
    db.session.flush()  # a new account gets its id and defaults (active) before the session starts
    return user


def password_login_allowed(user: User) -> bool:
    """Whether the account may log in with a password: not if a municipality it works in says no."""
    return all(m.municipality.local_login_enabled for m in user.memberships)


class ProviderSettingsInvalid(ValueError):
    """A setting of an identity provider that cannot work; the message says which."""


def configure_provider(municipality: Municipality, *, issuer: str, client_id: str,
                       client_secret: str | None, email_claim: str = "email",
                       group_claim: str | None = None, group_roles: dict | None = None,
                       enabled: bool = True, actor: User | None = None) -> IdentityProvider:
    """Set the municipality's identity provider (the secret sealed; None keeps the stored one)."""
    issuer = issuer.strip().rstrip("/")
    local = issuer.startswith(("http://127.0.0.1", "http://localhost"))
    if not (issuer.startswith("https://") or local):
        raise ProviderSettingsInvalid(_l("The issuer must be an https:// address."))
    bad_roles = sorted(set((group_roles or {}).values()) - set(ROLES))
    if bad_roles:
        raise ProviderSettingsInvalid(_l("Unknown role: %(role)s.", role=", ".join(bad_roles)))
    provider = municipality.identity_provider
    if provider is None:
        if not client_secret:
            raise ProviderSettingsInvalid(_l("Give the client secret."))
        provider = IdentityProvider(municipality=municipality)
        db.session.add(provider)
    if client_secret:
        from .secretbox import seal

        provider.client_secret_encrypted = seal(client_secret)
    provider.issuer, provider.client_id = issuer, client_id.strip()
    provider.email_claim = email_claim.strip() or "email"
    provider.group_claim = (group_claim or "").strip() or None
    provider.group_roles = dict(group_roles or {})
    provider.enabled = enabled
    from ..models.types import utcnow

    provider.updated_at = utcnow()
    record("identity_provider.configure", user=actor, municipality_id=municipality.id,
           issuer=issuer, client_id=provider.client_id, group_claim=provider.group_claim,
           enabled=enabled, secret_changed=bool(client_secret))
    return provider
