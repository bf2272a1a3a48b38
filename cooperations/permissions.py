"""Who may do what with a cooperation record (django-rules predicates).

Scoping of lists lives in selectors.py; these predicates answer for one object. Rule names are
prefixed with the app label and never reuse Django's model permission names, so the model
backend cannot answer them without looking at the object.
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


is_editor = is_oea_staff | is_administrator

rules.add_perm("cooperations.view_record", is_editor | is_manager | (is_focal_point & is_cooperation_party))
rules.add_perm("cooperations.edit_record", is_editor)
rules.add_perm("cooperations.view_history", is_editor | is_manager)
rules.add_perm("cooperations.view_access_codes", is_editor | (is_focal_point & is_cooperation_party))
rules.add_perm("cooperations.submit_questions", is_editor | (is_focal_point & is_requesting_party))
rules.add_perm("cooperations.answer_question", is_editor | (is_focal_point & is_addressee_of_question))
rules.add_perm("cooperations.add_deliverable", is_editor | (is_focal_point & is_cooperation_party))
rules.add_perm("cooperations.upload_deliverable_version", is_editor | (is_focal_point & is_deliverable_owner))
