"""One-time links: invitations to a municipality and password resets. Only a token's hash is stored.

No mail server is needed: the link is shown once to whoever created it, who sends it however the
municipality likes. Services flush; the route commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..models import Invite, Membership, Municipality, User
from ..models.audit import record
from ..models.types import utcnow

INVITE_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(days=2)
MIN_PASSWORD_LENGTH = 12


class LinkRefused(Exception):
    """A link that cannot be used; the message says why, in the reader's language."""

    def __init__(self, message, status: int = 410):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass
class NewLink:
    """A freshly created link: the stored row and the token, which exists only in this object."""

    invite: Invite
    token: str


def token_hash(token: str) -> str:
    """The sha256 of a link token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(**fields) -> NewLink:
    token = secrets.token_urlsafe(32)
    invite = Invite(token_hash=token_hash(token), **fields)
    db.session.add(invite)
    db.session.flush()
    return NewLink(invite, token)


def find_user(email: str) -> User | None:
    """The account with this e-mail address (compared lower-cased)."""
    return db.session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def create_invite(email: str, role: str, municipality: Municipality, created_by: User | None) -> NewLink:
    """An invitation to work in the municipality with the role, valid for INVITE_LIFETIME."""
    email = email.strip().lower()
    existing = find_user(email)
    if existing is not None and existing.role_in(municipality.id) is not None:
        raise LinkRefused(_l("%(email)s already works in %(municipality)s.",
                             email=email, municipality=municipality.name), 400)
    link = _new_link(purpose="invite", email=email, municipality_id=municipality.id, role=role,
                     created_by_id=getattr(created_by, "id", None),
                     expires_at=utcnow() + INVITE_LIFETIME)
    record("invite.create", user=created_by, municipality_id=municipality.id, obj=link.invite,
           role=role)
    return link


def create_reset(user: User, created_by: User | None) -> NewLink:
    """A password reset link for the account, valid for RESET_LIFETIME."""
    link = _new_link(purpose="reset", email=user.email, user_id=user.id,
                     created_by_id=getattr(created_by, "id", None),
                     expires_at=utcnow() + RESET_LIFETIME)
    record("password.reset_link", user=created_by, obj=user)
    return link


def usable_link(token: str) -> Invite:
    """The link for a token if it can still be used; else LinkRefused with the reason."""
    invite = db.session.execute(
        select(Invite).where(Invite.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if invite is None:
        raise LinkRefused(_l("This link is not valid. Check that you copied all of it."), 404)
    if invite.used_at is not None:
        raise LinkRefused(_l("This link has already been used. Ask your project leader for a new one."))
    if invite.expires_at <= utcnow():
        raise LinkRefused(_l("This link has expired. Ask your project leader for a new one."))
    return invite


def _mark_used(invite: Invite) -> None:
    """Use the link up, once: a second request racing this one finds it used."""
    result = db.session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=utcnow())
    )
    if result.rowcount != 1:
        raise LinkRefused(_l("This link has already been used. Ask your project leader for a new one."))


def accept_invite(invite: Invite, *, display_name: str | None, password: str) -> User:
    """Create the invited account, or add the membership to the existing one (its password checked)."""
    user = find_user(invite.email)
    if user is None:
        user = User(email=invite.email, display_name=display_name or invite.email)
        user.set_password(password)
        db.session.add(user)
    elif not user.check_password(password):
        raise LinkRefused(_l("The password is wrong."), 400)
    _mark_used(invite)
    if user.role_in(invite.municipality_id) is None:
        user.memberships.append(Membership(municipality_id=invite.municipality_id, role=invite.role))
    db.session.flush()
    record("invite.accept", user=user, municipality_id=invite.municipality_id, obj=invite)
    return user


def reset_password(invite: Invite, password: str) -> User:
    """Set a new password from a reset link; every old session of the account ends."""
    user = db.session.get(User, invite.user_id)
    if user is None:
        raise LinkRefused(_l("This link is not valid. Check that you copied all of it."), 404)
    _mark_used(invite)
    user.set_password(password)
    record("password.reset", user=user, obj=user)
    return user
