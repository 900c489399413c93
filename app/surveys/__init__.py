"""Survey definitions as code: YAML files checked against a schema and rules, then frozen."""

from .definition import Option, Page, Question, ShowIf, SurveyDefinition
from .errors import Problem, SurveyError
from .loader import (
    check_file,
    check_text,
    definition_from_frozen,
    definition_from_text,
    load_definition,
    located_problems,
)

__all__ = [
    "Option",
    "Page",
    "Problem",
    "Question",
    "ShowIf",
    "SurveyDefinition",
    "SurveyError",
    "check_file",
    "check_text",
    "definition_from_frozen",
    "definition_from_text",
    "load_definition",
    "located_problems",
]
