"""Who may do what with a cooperation record (django-rules predicates).

Scoping of lists lives in selectors.py (through `sees_every_cooperation` and
`focal_institution_ids`, the same predicates the rules use); the rules answer for one object.
Rule names are prefixed with the app label and never take the form of Django's model permissions
(`add_`, `change_`, `delete_`, `view_` + model), so the model backend can never answer them.
"""

import rules

from accounts.permissions import is_administrator, is_focal_point, is_manager, is_oea_staff


def focal_institution_ids(user) -> frozenset[int]:
    """Ids of the focal point's institution and its parent ministry (cached on the user)."""
    cached = getattr(user, "_focal_institution_ids", None)
    if cached is not None:
        return cached
    ids: frozenset[int] = frozenset()
    if user.is_authenticated and is_focal_point(user):
        from .models import FocalPoint

        link = FocalPoint.objects.select_related("institution").filter(user=user).first()
        if link:
            ids = frozenset(filter(None, (link.institution_id, link.institution.parent_id)))
    user._focal_institution_ids = ids
    return ids


@rules.predicate
def is_cooperation_party(user, cooperation) -> bool:
    if cooperation is None:
        return False
    ids = focal_institution_ids(user)
    return cooperation.requesting_institution_id in ids or cooperation.providing_institution_id in ids


@rules.predicate
def is_requesting_party(user, cooperation) -> bool:
    return cooperation is not None and cooperation.requesting_institution_id in focal_institution_ids(user)


@rules.predicate
def is_addressee_of_question(user, question) -> bool:
    return question is not None and question.addressed_to.pk in focal_institution_ids(user)


@rules.predicate
def is_deliverable_owner(user, deliverable) -> bool:
    return deliverable is not None and deliverable.institution_id in focal_institution_ids(user)


@rules.predicate
def is_step_responsible(user, step) -> bool:
    """The focal point's institution is one of the step's responsible institutions (prefetched)."""
    if step is None:
        return False
    ids = focal_institution_ids(user)
    return any(institution.pk in ids for institution in step.responsible_institutions.all())


# Permission names: the only place they are written.
COOPERATIONS_AREA = "cooperations.access_area"
SEE_COOPERATION = "cooperations.see_cooperation"
EDIT_COOPERATION = "cooperations.edit_cooperation"
SEE_HISTORY = "cooperations.see_history"
SEE_ACCESS_CODES = "cooperations.see_access_codes"
SUBMIT_QUESTIONS = "cooperations.submit_questions"
ANSWER_QUESTION = "cooperations.answer_question"
REGISTER_DELIVERABLE = "cooperations.register_deliverable"
UPLOAD_DELIVERABLE_VERSION = "cooperations.upload_deliverable_version"
MARK_STEP_DONE = "cooperations.mark_step_done"
CREATE_CALL = "cooperations.create_call"
REMOVE_SESSION = "cooperations.remove_session"
FOLLOW_COOPERATION = "cooperations.follow_cooperation"

# OEA staff and administrators edit every record and act for either institution.
is_editor = is_oea_staff | is_administrator
# Who reads every cooperation, not only those of their institution (selectors use it too).
sees_every_cooperation = is_editor | is_manager

rules.add_perm(COOPERATIONS_AREA, is_oea_staff | is_focal_point | is_manager)
rules.add_perm(SEE_COOPERATION, sees_every_cooperation | (is_focal_point & is_cooperation_party))
rules.add_perm(EDIT_COOPERATION, is_editor)
rules.add_perm(CREATE_CALL, is_editor)
# A session entered by mistake is deleted by OEA staff (kept in the record's history).
rules.add_perm(REMOVE_SESSION, is_editor)
rules.add_perm(SEE_HISTORY, is_editor | is_manager)
rules.add_perm(SEE_ACCESS_CODES, is_editor | (is_focal_point & is_cooperation_party))
rules.add_perm(SUBMIT_QUESTIONS, is_editor | (is_focal_point & is_requesting_party))
rules.add_perm(ANSWER_QUESTION, is_editor | (is_focal_point & is_addressee_of_question))
rules.add_perm(REGISTER_DELIVERABLE, is_editor | (is_focal_point & is_cooperation_party))
rules.add_perm(UPLOAD_DELIVERABLE_VERSION, is_editor | (is_focal_point & is_deliverable_owner))
# A focal point marks done (or pending again) the steps their institution is responsible for.
# OEA staff (and administrators) follow a cooperation to receive its notifications.
rules.add_perm(FOLLOW_COOPERATION, is_editor)
rules.add_perm(MARK_STEP_DONE, is_editor | (is_focal_point & is_step_responsible))
