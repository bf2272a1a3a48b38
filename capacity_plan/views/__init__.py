from .actions import (
    action_cancel,
    action_create,
    action_detail,
    action_edit,
    action_list,
    action_reschedule,
    action_session_create,
    attendance_grid,
    guidance,
    monthly_catalogue,
    survey_response_create,
)
from .imports import attendance_import, participants_import, survey_import
from .plan import indicator_edit, indicator_measurement, indicator_review, milestone_detail, plan_home

__all__ = [
    "action_cancel",
    "action_create",
    "action_detail",
    "action_edit",
    "action_list",
    "action_reschedule",
    "action_session_create",
    "attendance_grid",
    "attendance_import",
    "guidance",
    "indicator_edit",
    "indicator_measurement",
    "indicator_review",
    "milestone_detail",
    "monthly_catalogue",
    "participants_import",
    "plan_home",
    "survey_import",
    "survey_response_create",
]
