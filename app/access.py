"""Who may see and do what: the one place that scopes planner data to a user's municipalities.

Every planner route loads its objects through these functions. An object of a municipality the
user has no role in answers 404 (its existence is not confirmed); an object the user may see but
not change answers 403.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from .extensions import db
from .models import Dialogue, Municipality, User

# Which municipality roles carry which permission.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"project_leader", "working_group", "steering_group"}),
    "read_raw": frozenset({"project_leader", "working_group"}),
    "edit": frozenset({"project_leader", "working_group"}),
    "export": frozenset({"project_leader", "working_group"}),
    "manage_users": frozenset({"project_leader"}),
    "edit_profile": frozenset({"project_leader"}),
}


def can(user: User, permission: str, municipality: Municipality) -> bool:
    """Whether the user holds the permission in the municipality."""
    if not user.is_authenticated:
        return False
    role = user.role_in(municipality.id)
    if role is not None and role in PERMISSIONS[permission]:
        return True
    if user.is_network_coordinator:
        # The coordinator follows every municipality in aggregate, and raw comments only by grant.
        return permission == "view" or (
            permission == "read_raw" and municipality.grants_network_raw_access
        )
    return False


def visible_municipality_ids(user: User) -> set[int] | None:
    """Ids of the municipalities whose non-public data the user may see; None means all."""
    if not user.is_authenticated:
        return set()
    if user.is_network_coordinator:
        return None
    return {m.municipality_id for m in user.memberships}


def scope(statement: Select, municipality_column, user: User | None = None) -> Select:
    """Limit a query to rows of the municipalities the user may see."""
    ids = visible_municipality_ids(user or current_user)
    if ids is None:
        return statement
    if not ids:
        return statement.where(false())
    return statement.where(municipality_column.in_(ids))


def get_or_404(model, object_id: int, permission: str = "view"):
    """An object with a municipality_id, if the user may see it and holds the permission."""
    obj = db.session.execute(
        scope(select(model).where(model.id == object_id), model.municipality_id)
    ).scalar_one_or_none()
    if obj is None:
        abort(404)
    municipality = db.session.get(Municipality, obj.municipality_id)
    if not can(current_user, permission, municipality):
        abort(403)
    return obj


def dialogue_or_404(dialogue_id: int, permission: str = "view") -> Dialogue:
    """A dialogue of the user's municipalities, checked for the permission."""
    return get_or_404(Dialogue, dialogue_id, permission)


def municipality_or_404(municipality_id: int, permission: str = "view") -> Municipality:
    """A municipality the user may see, checked for the permission (404 if not visible)."""
    ids = visible_municipality_ids(current_user)
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None or (ids is not None and municipality_id not in ids):
        abort(404)
    if not can(current_user, permission, municipality):
        abort(403)
    return municipality


def in_working_group(user: User, municipality: Municipality) -> bool:
    """Whether the user works on the municipality's dialogues (project leader or working group).

    Everyone else who may view (steering group, network coordinator) sees aggregates with small
    cells suppressed.
    """
    if not user.is_authenticated:
        return False
    return user.role_in(municipality.id) in ("project_leader", "working_group")


def dialogue_for_municipality_or_404(municipality_id: int, dialogue_id: int) -> Dialogue:
    """A dialogue of one municipality (an API token's), else 404: a token never reaches further."""
    dialogue = db.session.execute(
        select(Dialogue).where(Dialogue.id == dialogue_id, Dialogue.municipality_id == municipality_id)
    ).scalar_one_or_none()
    if dialogue is None:
        abort(404)
    return dialogue
