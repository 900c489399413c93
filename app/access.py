"""Who may see and do what: the one place that scopes planner data to a user's municipalities.

Every planner route loads its objects through these functions. An object of a municipality the
user has no role in answers 404 (its existence is not confirmed); an object the user may see but
not change answers 403.

A page of one municipality (URL with <municipality_id>) takes `@require("permission")`; objects
inside it come through `in_municipality_or_404` / `member_or_404`; site administration takes
`@site_admin_required`; a view that checks inside declares it with `@declares("read_raw")`.
tests/integration/test_isolation_matrix.py visits every route as every
role against two municipalities and reads the permission these decorators declare.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from .extensions import db
from .models import Dialogue, Membership, Municipality, User

# Which municipality roles carry which permission.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"project_leader", "working_group", "steering_group"}),
    "read_raw": frozenset({"project_leader", "working_group"}),
    "edit": frozenset({"project_leader", "working_group"}),
    "export": frozenset({"project_leader", "working_group"}),
    "manage_users": frozenset({"project_leader"}),
    # Closing, reopening, extending and archiving a dialogue: the project leader's mandate.
    "lifecycle": frozenset({"project_leader"}),
    "edit_profile": frozenset({"project_leader"}),
    # Handing out public documents (every comment as received) is the project leader's call.
    "public_records": frozenset({"project_leader"}),
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
    """A municipality the user may see (else 404), checked for the permission (else 403)."""
    municipality = db.session.execute(
        scope(select(Municipality).where(Municipality.id == municipality_id), Municipality.id)
    ).scalar_one_or_none()
    if municipality is None:
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


def export_job_or_404(job_id: str, *, dialogue_id: int | None = None, token=None):
    """An export job, for whoever may take the same export of its dialogue: a token of the
    municipality, or a planner with the format's permission; a job that quotes comments only for
    those who may read them (a steering group never gets a working group's quoted report)."""
    from .export.service import JOB_FORMATS, permission_for
    from .models import ExportJob

    job = db.session.get(ExportJob, job_id)
    if job is None or (dialogue_id is not None and job.dialogue_id != dialogue_id):
        abort(404)
    if token is not None:
        dialogue_for_municipality_or_404(token.municipality_id, job.dialogue_id)
        return job
    dialogue = dialogue_or_404(job.dialogue_id, permission_for(JOB_FORMATS[job.format]))
    if job.options.get("quotes") and not can(current_user, "read_raw", dialogue.municipality):
        abort(404)
    return job


def in_municipality_or_404(model, object_id: int, municipality: Municipality):
    """An object with a municipality_id that belongs to this municipality, else 404."""
    obj = db.session.execute(
        select(model).where(model.id == object_id, model.municipality_id == municipality.id)
    ).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


def member_or_404(user_id: int, municipality: Municipality) -> User:
    """A user with a role in this municipality, else 404."""
    user = db.session.execute(
        select(User).join(Membership).where(
            User.id == user_id, Membership.municipality_id == municipality.id
        )
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    return user


def require(permission: str) -> Callable:
    """Decorate a view whose URL has <municipality_id>: 404 outside the user's municipalities,
    403 without the permission; the view receives `municipality` instead of the id.

    The isolation matrix test reads `required_permission` to check every role without it.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, municipality_id: int, **kwargs):
            if not current_user.is_authenticated:
                abort(404)
            municipality = municipality_or_404(municipality_id, permission)
            return view(*args, municipality=municipality, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def site_admin_required(view: Callable) -> Callable:
    """Decorate a site administration view: anyone but a site admin gets 404."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not (current_user.is_authenticated and current_user.is_site_admin):
            abort(404)
        return view(*args, **kwargs)

    wrapper.required_permission = "site_admin"
    return wrapper


def may_reset_password(actor: User, user: User) -> bool:
    """Whether the actor may hand out a reset link for the user's account.

    A project leader may only for accounts that work nowhere outside the municipalities the
    leader manages: a reset link for a shared account would open the other municipality's data.
    """
    if actor.is_site_admin:
        return True
    if user.is_site_admin or user.is_network_coordinator or not user.memberships:
        return False
    return all(can(actor, "manage_users", m.municipality) for m in user.memberships)


def declares(permission: str, **by_method: str) -> Callable:
    """Mark a view that checks its permission inside (e.g. dialogue_or_404(id, "read_raw")).

    Only a label for the isolation matrix test, which otherwise assumes "view" for GET and "edit"
    for other methods; put it above @bp.route's function, below the route decorator. A view whose
    methods need different permissions names the others by method: `@declares("read_raw",
    POST="edit")`.
    """

    def decorator(view: Callable) -> Callable:
        view.required_permission = permission
        view.required_permissions = {method.upper(): p for method, p in by_method.items()}
        return view

    return decorator
