"""All models, imported here so that metadata and migrations see every table."""

from .account import ApiToken, Invite, Membership, User
from .area import DevelopmentArea, NamedPlace
from .audit import AuditEvent
from .coding import Feedback, Theme, pin_theme
from .dialogue import Dialogue
from .municipality import Municipality
from .response import Answer, Photo, Pin, Response
from .survey import SurveyVersion

__all__ = [
    "Answer",
    "ApiToken",
    "AuditEvent",
    "DevelopmentArea",
    "Dialogue",
    "Feedback",
    "Invite",
    "Membership",
    "Municipality",
    "NamedPlace",
    "Photo",
    "Pin",
    "Response",
    "SurveyVersion",
    "Theme",
    "User",
    "pin_theme",
]
