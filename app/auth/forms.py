"""Forms for planner accounts: log in, accept an invitation, choose a new password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .invites import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def _new_password_validators() -> list:
    return [
        DataRequired(_l("Choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("The password must be at least %(min)d characters long.",
                          min=MIN_PASSWORD_LENGTH)),
    ]


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (password reset)."""

    password = PasswordField(_l("New password"), validators=_new_password_validators())
    confirm = PasswordField(_l("The same password again"), validators=[
        DataRequired(_l("Type the password again.")),
        EqualTo("password", message=_l("The two passwords are not the same.")),
    ])


class NewAccountForm(NewPasswordForm):
    """A new account from an invitation: a name and a password."""

    display_name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Write your name.")), Length(max=120)])


class JoinForm(FlaskForm):
    """An invitation for an existing account: its password proves it is the owner accepting."""

    password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Write your password.")), Length(max=200)])
