from .check_in import CheckIn, CheckInLink
from .imports import ImportJob, ImportKind, ImportPreview
from .plan import Component, Indicator, IndicatorReview, Measurement, Milestone, Plan, PlanObjective
from .reference import OrganisationalUnit, RecordingSlot, Region, Theme
from .training import ActionSession, Attendance, PublicServant, SatisfactionResponse, SurveyAspect, TrainingAction

__all__ = [
    "ActionSession",
    "Attendance",
    "CheckIn",
    "CheckInLink",
    "Component",
    "ImportJob",
    "ImportKind",
    "ImportPreview",
    "Indicator",
    "IndicatorReview",
    "Measurement",
    "Milestone",
    "OrganisationalUnit",
    "Plan",
    "PlanObjective",
    "PublicServant",
    "RecordingSlot",
    "Region",
    "SatisfactionResponse",
    "SurveyAspect",
    "Theme",
    "TrainingAction",
]
