"""Forms of the network pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain import ROLE_LABELS, ROLES
from ..inputs import coerce_id


class ProfileForm(FlaskForm):
    council_decision_on = DateField(_l("Date of the council decision"), validators=[Optional()])
    council_decision_reference = StringField(
        _l("Reference of the decision (diarienummer)"), validators=[Optional(), Length(max=120)]
    )
    chosen_area_id = SelectField(_l("The chosen development area"), coerce=coerce_id)


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Group"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    title = StringField(_l("Role or profession"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail of their account (optional)"),
                       validators=[Optional(), Length(max=254)])


class PublishTemplateForm(FlaskForm):
    source = SelectField(_l("Survey"))
    version_label = StringField(_l("Version"), validators=[DataRequired(), Length(max=40)])
    change_notes = TextAreaField(_l("What changed"), validators=[Optional(), Length(max=5000)])
    definition_yaml = TextAreaField(
        _l("Or paste an edited definition (YAML)"), validators=[Optional(), Length(max=200_000)]
    )


class AdoptTemplateForm(FlaskForm):
    municipality_id = SelectField(_l("Municipality"), coerce=coerce_id)
    definition_yaml = TextAreaField(
        _l("The definition, adapted to your municipality (YAML)"),
        validators=[DataRequired(), Length(max=200_000)],
    )


class EvaluationRoundForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    phase = IntegerField(_l("Phase"), default=4, validators=[DataRequired(), NumberRange(1, 4)])


class LessonForm(FlaskForm):
    method = TextAreaField(_l("Method: how the dialogue was run"), validators=[Length(max=5000)])
    channels = TextAreaField(_l("Channels used to reach residents"),
                             validators=[Length(max=5000)])
    reached = TextAreaField(_l("Who was reached"), validators=[Length(max=5000)])
    not_reached = TextAreaField(_l("Who was not reached"), validators=[Length(max=5000)])
    worked = TextAreaField(_l("What worked"), validators=[Length(max=5000)])
    did_not_work = TextAreaField(_l("What did not work"), validators=[Length(max=5000)])
