"""Who may be told about what: never wider than who may open it (the authorization rules)."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q

from accounts.roles import FOCAL_POINT, OEA_STAFF


def focal_points_of(*, institution_ids: Iterable[int]) -> list[User]:
    """Active focal points of these institutions (or of one of their units, who see what their
    ministry sees: cooperations.permissions.focal_institution_ids)."""
    ids = [pk for pk in institution_ids if pk]
    if not ids:
        return []
    return list(
        User.objects.filter(is_active=True, groups__name=FOCAL_POINT)
        .filter(Q(focal_point__institution__in=ids) | Q(focal_point__institution__parent__in=ids))
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def cooperation_followers(*, cooperation) -> list[User]:
    """OEA staff (or administrators) following the cooperation, still such and active."""
    return list(
        cooperation.followers.filter(Q(groups__name=OEA_STAFF) | Q(is_superuser=True), is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def who_can_see_cooperation(users: Iterable[User], cooperation) -> list[User]:
    """Those of `users` who may open the cooperation (the SEE_COOPERATION rule, per user)."""
    from cooperations.models import FocalPoint
    from cooperations.permissions import SEE_COOPERATION

    users = list(users)
    _prefill_rule_caches(users, FocalPoint)
    return [user for user in users if user.has_perm(SEE_COOPERATION, cooperation)]


def _prefill_rule_caches(users: list[User], focal_point_model) -> None:
    """Load, in two queries for all of them, what the rules read per user (their group names,
    django-rules' cache; their focal institutions, cooperations.permissions' cache), so checking
    each one costs no query."""
    pending = [user for user in users if not hasattr(user, "_group_names_cache")]
    if pending:
        names: dict[int, set[str]] = {user.pk: set() for user in pending}
        for user_id, name in User.groups.through.objects.filter(user__in=pending).values_list("user_id", "group__name"):
            names[user_id].add(name)
        for user in pending:
            user._group_names_cache = names[user.pk]  # type: ignore[attr-defined]
    pending = [user for user in users if getattr(user, "_focal_institution_ids", None) is None]
    if pending:
        links = {
            link.user_id: frozenset(filter(None, (link.institution_id, link.institution.parent_id)))
            for link in focal_point_model.objects.filter(user__in=pending).select_related("institution")
        }
        for user in pending:
            user._focal_institution_ids = (  # type: ignore[attr-defined]
                links.get(user.pk, frozenset()) if FOCAL_POINT in user._group_names_cache else frozenset()  # type: ignore[attr-defined]
            )


def cooperation_audience(*, cooperation, institution_ids: Iterable[int] = (), followers: bool = False) -> list[User]:
    """Focal points of the given institutions (parties of the cooperation only) and, when asked,
    its OEA followers; each checked against the rule that lets them open it."""
    parties = {cooperation.requesting_institution_id, cooperation.providing_institution_id}
    users = focal_points_of(institution_ids=[pk for pk in institution_ids if pk in parties])
    if followers:
        users += cooperation_followers(cooperation=cooperation)
    unique = list({user.pk: user for user in users}.values())
    return who_can_see_cooperation(unique, cooperation)


def users_with_role(role: str) -> list[User]:
    """Active users of one role (PFC notices: ODES specialists, managers)."""
    return list(User.objects.filter(is_active=True, groups__name=role).select_related("profile").order_by("pk"))
