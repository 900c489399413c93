"""What a resident is told about who sees their comments and photos, and when.

Generated from the dialogue's settings (show others' comments, moderation before or after
publishing, photos allowed) so the consent, the landing page and the receipt say what the
platform will actually do: `moderation.flags.initial_state` decides, and these sentences follow it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Dialogue, Pin, Response


def visibility_promise(dialogue: Dialogue) -> str:
    """Before sending: when other residents will see the comments (and photos), in words."""
    photos = dialogue.photos_allowed
    if not dialogue.show_others_pins:
        return (_("Other residents do not see your comments or photos: only the municipality's working "
                  "group reads them.") if photos else
                _("Other residents do not see your comments: only the municipality's working group "
                  "reads them."))
    if dialogue.moderation == "pre":
        return (_("Your map comments and photos are shown to other residents only after the working "
                  "group has read them.") if photos else
                _("Your map comments are shown to other residents only after the working group has read "
                  "them."))
    return " ".join((
        _("Your map comments and photos are shown to other residents straight away.") if photos else
        _("Your map comments are shown to other residents straight away."),
        _("A comment that seems to contain personal details or offensive words waits until the working "
          "group has read it, and the working group removes anything that breaks the rules."),
    ))


def visibility_receipt(dialogue: Dialogue, receipt_code: str | None) -> str:
    """After sending: what has become of this response's comments, counted from what is stored."""
    if not dialogue.show_others_pins:
        return _("The working group reads your comments; they are not shown to other residents.")
    counts = dict(db.session.execute(
        select(Pin.moderation_state, func.count()).join(Response, Response.id == Pin.response_id)
        .where(Response.dialogue_id == dialogue.id, Response.receipt_code == receipt_code)
        .group_by(Pin.moderation_state)
    ).all()) if receipt_code else {}
    shown, waiting = counts.get("published", 0), counts.get("pending", 0)
    if not shown and not waiting:
        return (_("The working group reads map comments before they are shown to others.")
                if dialogue.moderation == "pre" else
                _("Map comments are shown to others straight away; the working group removes anything that "
                  "breaks the rules."))
    parts = []
    if shown:
        parts.append(ngettext("%(num)d of your comments can now be seen by others.",
                              "%(num)d of your comments can now be seen by others.", shown))
    if waiting:
        parts.append(ngettext(
            "%(num)d of your comments is shown to others once the working group has read it.",
            "%(num)d of your comments are shown to others once the working group has read them.", waiting))
    return " ".join(parts)
