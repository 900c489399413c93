"""The project leader's page for requests for public documents."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from ..access import require
from ..extensions import db
from ..models.audit import record
from .documents import documents_csv, documents_pdf, received_comments

bp = Blueprint("records", __name__, url_prefix="/planering")
MAX_DAYS = 366 * 5


class DocumentsForm(FlaskForm):
    first = DateField(_l("From"), validators=[DataRequired(_l("Give the first day."))])
    last = DateField(_l("To and with"), validators=[DataRequired(_l("Give the last day."))])
    format = RadioField(_l("As"), default="pdf", validators=[InputRequired()], choices=[
        SelectChoice("pdf", _l("PDF, to read and hand over")),
        SelectChoice("csv", _l("CSV, for a spreadsheet")),
    ])

    def validate_last(self, field) -> None:
        """The range runs forwards and is at most five years."""
        if field.data and self.first.data:
            if field.data < self.first.data:
                raise ValidationError(_l("The last day must be on or after the first day."))
            if (field.data - self.first.data).days > MAX_DAYS:
                raise ValidationError(_l("Ask for at most five years at a time."))


@bp.route("/kommuner/<int:municipality_id>/allmanna-handlingar", methods=["GET", "POST"])
@require("public_records")
def documents(municipality):
    """Every comment received in a date range, as received, with the moderation decisions."""
    form = DocumentsForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("records/documents.html", form=form, municipality=municipality), status
    first, last = form.first.data, form.last.data
    comments = received_comments(municipality, first, last)
    record("records.documents", user=current_user, municipality_id=municipality.id,
           first=first.isoformat(), last=last.isoformat(), format=form.format.data,
           comments=len(comments))
    name = f"allmanna-handlingar-{municipality.kommunkod}-{first.isoformat()}-{last.isoformat()}"
    if form.format.data == "csv":
        body, mimetype = documents_csv(comments).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body, mimetype = documents_pdf(municipality, first, last, comments), "application/pdf"
    name += "." + form.format.data
    db.session.commit()
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


