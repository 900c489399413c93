"""The pin form of the resident page (server-side rules live in service.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Regexp

from ..domain import SENTIMENT_LABELS, SENTIMENTS, VALUE_LABELS, VALUES


class PinForm(FlaskForm):
    lat = HiddenField(validators=[InputRequired(_l("Click the map to choose a place."))])
    lng = HiddenField(validators=[InputRequired(_l("Click the map to choose a place."))])
    value = RadioField(
        _l("What is your comment about?"),
        choices=[SelectChoice(v, VALUE_LABELS[v]) for v in VALUES],
        validate_choice=False,  # AnyOf below says what is wrong in the resident's language
        validators=[InputRequired(_l("Choose what your comment is about.")),
                    AnyOf(VALUES, message=_l("Choose what your comment is about."))],
    )
    sentiment = RadioField(
        _l("What kind of comment is it?"),
        choices=[SelectChoice(s, SENTIMENT_LABELS[s]) for s in SENTIMENTS],
        validate_choice=False,
        validators=[InputRequired(_l("Choose what kind of comment it is.")),
                    AnyOf(SENTIMENTS, message=_l("Choose what kind of comment it is."))],
    )
    text = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(_l("Write a comment.")),
            Length(max=2000, message=_l("The comment can be at most 2,000 characters.")),
        ],
    )
    # Made by the page (a UUID): letters, digits and dashes only, so it is safe in any database.
    idempotency_key = HiddenField(validators=[InputRequired(), Length(min=16, max=64),
                                              Regexp(r"^[A-Za-z0-9_-]+$")])
    # A field that people never see; bots fill it in.
    website = StringField(_l("Leave this field empty"))
