"""All models, imported here so that metadata and migrations see every table."""

from .account import ApiToken, Invite, LoginThrottle, Membership, User
from .address import Address
from .area import DevelopmentArea, NamedPlace
from .audit import AuditEvent
from .basemap import BaseMap
from .coding import Feedback, Theme, ThemeSuggestion, pin_theme
from .dialogue import Dialogue
from .identity import IdentityProvider
from .job import ExportJob
from .municipality import Municipality
from .network import (
    EvaluationAnswer,
    EvaluationRound,
    LessonLearned,
    MunicipalityProfile,
    NetworkMember,
    SharedTemplate,
    TemplateAdoption,
)
from .population import PopulationCount, PopulationTable
from .response import Answer, Photo, Pin, Response
from .survey import ResponseOption, SurveyDraft, SurveyDraftRevision, SurveyGroupQuestion, SurveyVersion
from .tally import (
    AnswerPairPinTally,
    AnswerPinCellTally,
    AnswerPinHourTally,
    AnswerPinTally,
    AnswerTally,
    PinCellTally,
    PinHourTally,
    ResponseHourTally,
)

__all__ = [
    "Address",
    "Answer",
    "ApiToken",
    "AuditEvent",
    "BaseMap",
    "DevelopmentArea",
    "Dialogue",
    "EvaluationAnswer",
    "EvaluationRound",
    "ExportJob",
    "Feedback",
    "IdentityProvider",
    "Invite",
    "LessonLearned",
    "LoginThrottle",
    "Membership",
    "Municipality",
    "MunicipalityProfile",
    "NamedPlace",
    "NetworkMember",
    "Photo",
    "AnswerPairPinTally",
    "AnswerPinCellTally",
    "AnswerPinHourTally",
    "AnswerPinTally",
    "AnswerTally",
    "PinCellTally",
    "PinHourTally",
    "Pin",
    "PopulationCount",
    "PopulationTable",
    "Response",
    "ResponseHourTally",
    "ResponseOption",
    "SharedTemplate",
    "SurveyDraft",
    "SurveyDraftRevision",
    "SurveyGroupQuestion",
    "SurveyVersion",
    "TemplateAdoption",
    "Theme",
    "ThemeSuggestion",
    "User",
    "pin_theme",
]
