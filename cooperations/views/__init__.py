from .calendar import cooperation_calendar, personal_calendar
from .deliverables import deliverable_create, deliverable_version_download, deliverable_version_upload
from .questions import (
    answer_version_attachment_download,
    question_answer,
    question_attachment_download,
    questions_submit,
)
from .records import (
    call_create,
    cooperation_create,
    cooperation_detail,
    cooperation_edit,
    cooperation_history,
    cooperation_list,
    cooperation_participants_edit,
    cooperation_steps_edit,
    deadline_list,
    session_create,
    session_delete,
    session_edit,
    step_toggle_done,
)

__all__ = [
    "answer_version_attachment_download",
    "call_create",
    "cooperation_calendar",
    "cooperation_create",
    "cooperation_detail",
    "cooperation_edit",
    "cooperation_history",
    "cooperation_list",
    "cooperation_participants_edit",
    "cooperation_steps_edit",
    "deadline_list",
    "deliverable_create",
    "deliverable_version_download",
    "deliverable_version_upload",
    "personal_calendar",
    "question_answer",
    "question_attachment_download",
    "questions_submit",
    "session_create",
    "session_delete",
    "session_edit",
    "step_toggle_done",
]
