from .cooperation import (
    Cooperation,
    CooperationQuerySet,
    MethodologyStep,
    Participation,
    Person,
    Session,
    SpecificObjective,
    Step,
)
from .deliverables import Deliverable, DeliverableVersion
from .questions import AnswerVersion, Question
from .reference import Call, Country, FocalPoint, Institution

__all__ = [
    "AnswerVersion",
    "Call",
    "Cooperation",
    "CooperationQuerySet",
    "Country",
    "Deliverable",
    "DeliverableVersion",
    "FocalPoint",
    "Institution",
    "MethodologyStep",
    "Participation",
    "Person",
    "Question",
    "Session",
    "SpecificObjective",
    "Step",
]
