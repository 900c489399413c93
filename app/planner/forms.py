"""The planner's forms (Flask-WTF, CSRF on); rules about data are checked again in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain import PHASES
from ..inputs import coerce_id

SLUG_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lower-case letters a-z, digits and single hyphens, e.g. husby-2026."),
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AreaForm(FlaskForm):
    name = StringField(_l("Name of the area"), validators=[
        DataRequired(_l("Give the area a name.")), Length(max=200)])
    municipality_id = SelectField(_l("Municipality"), coerce=coerce_id, validate_choice=False)
    geojson = HiddenField()
    upload = FileField(_l("Or upload a file (GeoJSON, Shapefile as .zip, GeoPackage or KML)"))
    # The kept upload between preview and save, and the feature chosen from the file's list.
    upload_token = HiddenField(validators=[Optional(), Length(max=64)])
    feature = SelectField(_l("Feature in the file"), validate_choice=False,
                          validators=[Optional(), Length(max=300)])
    dissolve = BooleanField(_l("Merge all features of the file into one area"))
    repair = BooleanField(_l("Repair an invalid geometry automatically"))


class PlaceForm(FlaskForm):
    name = StringField(_l("Name of the place"), validators=[
        DataRequired(_l("Give the place a name.")), Length(max=200)])
    lat = StringField(_l("Latitude"), validators=[
        InputRequired(_l("Click the map or type the coordinates of the place."))])
    lng = StringField(_l("Longitude"), validators=[
        InputRequired(_l("Click the map or type the coordinates of the place."))])


class NewDialogueForm(FlaskForm):
    survey = SelectField(_l("Survey definition"), validate_choice=False,
                         validators=[DataRequired(_l("Choose a survey definition."))])
    area_id = SelectField(_l("Development area"), coerce=coerce_id, validate_choice=False)
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the dialogue a title.")), Length(max=200)])
    slug = StringField(_l("Address in the public link"), validators=[
        DataRequired(_l("Choose an address for the public link.")), Length(max=80), SLUG_RULE])


class SettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the dialogue a title.")), Length(max=200)])
    slug = StringField(_l("Address in the public link"), validators=[
        DataRequired(_l("Choose an address for the public link.")), Length(max=80), SLUG_RULE])
    description = TextAreaField(_l("Description for residents"), validators=[Length(max=5000)])
    languages = MultiCheckboxField(_l("Languages"), validate_choice=False)
    show_others_pins = BooleanField(_l("Residents see other residents' comments"))
    moderation = RadioField(_l("Moderation"), choices=[
        SelectChoice("post", _l("Publish at once and review afterwards")),
        SelectChoice("pre", _l("Review before publishing")),
    ], validators=[InputRequired()])
    photos_allowed = BooleanField(_l("Residents may add photos"))
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), validators=[Optional()])
    phase = SelectField(_l("Phase of the method"), coerce=coerce_id,
                        choices=[SelectChoice(p, str(p)) for p in PHASES])
    # Public records: the registry's case number and the retention decision (gallringsbeslut).
    diarienummer = StringField(_l("Case number (diarienummer)"), validators=[Optional(), Length(max=40)])
    retention_months = IntegerField(_l("Delete comments this many months after closing"),
                                    validators=[Optional(), NumberRange(min=1, max=1200, message=_l(
                                        "Give a number of months from 1 to 1200, or leave it empty."))])
    retention_decision = StringField(_l("The retention decision (gallringsbeslut)"),
                                     validators=[Optional(), Length(max=300)])
    # 0: the municipality's default base map; choices are filled from the municipality's list.
    basemap_id = SelectField(_l("Base map"), coerce=int, validate_choice=False)

    def validate_closes_on(self, field) -> None:
        """The end date may not be before the start date."""

        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


class HideForm(FlaskForm):
    reason = StringField(_l("Reason for hiding"), validators=[
        DataRequired(_l("Say why the comment is hidden.")), Length(max=300)])


class ExtendForm(FlaskForm):
    closes_on = DateField(_l("New end date"), validators=[Optional()])
    reason = StringField(_l("Reason (kept in the log)"), validators=[Length(max=300)])


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Public answer from the municipality"), validators=[
        DataRequired(_l("Write the answer.")), Length(max=5000)])


class ThemeForm(FlaskForm):
    name = StringField(_l("New theme"), validators=[
        DataRequired(_l("Give the theme a name.")), Length(max=120)])


class FeedbackForm(FlaskForm):
    target = SelectField(_l("Feedback about"), validate_choice=False)
    text = TextAreaField(_l("Feedback to residents"), validators=[
        DataRequired(_l("Write the feedback.")), Length(max=5000)])
    published = BooleanField(_l("Show it on the public page"))


class OutcomeForm(FlaskForm):
    outcome_summary = TextAreaField(_l("What was heard and what happens next"),
                                    validators=[Length(max=10000)])


class PhaseForm(FlaskForm):
    phase = IntegerField(_l("Phase"), validators=[NumberRange(min=1, max=4)])


class PopulationImportForm(FlaskForm):
    name = StringField(_l("What the table is"), validators=[
        DataRequired(_l("Say what the table is, e.g. SCB DeSO 2024.")), Length(max=200)])
    upload = FileField(_l("Population file (CSV)"))
    is_example = BooleanField(_l("The numbers are an example, not statistics"))


class PopulationChoiceForm(FlaskForm):
    table_id = SelectField(_l("Reference population"), coerce=int, validate_choice=False,
                           validators=[InputRequired()])
    areas = MultiCheckboxField(_l("Areas that cover the development area"), validate_choice=False)


class NewSurveyForm(FlaskForm):
    name = StringField(_l("Name of the survey"), validators=[
        DataRequired(_l("Give the survey a name.")), Length(max=200)])
    municipality_id = SelectField(_l("Municipality"), coerce=int, validate_choice=False)
    start = SelectField(_l("Start from"), validate_choice=False)
    upload = FileField(_l("Or upload a YAML file"))


class UploadSurveyForm(FlaskForm):
    upload = FileField(_l("YAML file"))
