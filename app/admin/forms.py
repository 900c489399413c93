"""Forms for managing users and municipalities."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from ..domain import ROLE_LABELS, ROLES


def _role_choices() -> list:
    return [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]


class InviteForm(FlaskForm):
    """Invite a person to the municipality with a role."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Write the person's e-mail address.")),
        Email(_l("Write a whole e-mail address, e.g. anna@kommun.se.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=_role_choices(), default="working_group")


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = SelectField(_l("Role"), choices=_role_choices())


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class MunicipalityForm(FlaskForm):
    """A new municipality and, optionally, the e-mail address of its first project leader."""

    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Write the municipality's name.")), Length(max=120)])
    kommunkod = StringField(_l("Municipality code (kommunkod)"), validators=[
        DataRequired(_l("Write the four-digit municipality code.")),
        Regexp(r"^\d{4}$", message=_l("The municipality code is four digits, e.g. 0180."))])
    population = IntegerField(_l("Population"), validators=[
        Optional(), NumberRange(min=1, message=_l("The population is a whole number above zero."))])
    leader_email = EmailField(_l("E-mail address of the first project leader"), validators=[
        Optional(), Email(_l("Write a whole e-mail address, e.g. anna@kommun.se.")), Length(max=254)])


class LeaderInviteForm(FlaskForm):
    """Invite a project leader to a municipality (site admin)."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Write the person's e-mail address.")),
        Email(_l("Write a whole e-mail address, e.g. anna@kommun.se.")), Length(max=254)])
