"""Who may read what through the API: exactly who may open the pages (the same rules), and a
DRF permission class per area. Object scoping (a focal point's cooperations) is the selectors'."""

import rules
from rest_framework.permissions import BasePermission

from accounts.permissions import is_administrator, is_focal_point, is_manager, is_odes_specialist, is_oea_staff
from capacity_plan.permissions import SEE_PLAN
from cooperations.permissions import COOPERATIONS_AREA
from ranking.permissions import SEE_RANKING

# Permission names: the only place they are written.
MANAGE_OWN_TOKENS = "api.manage_own_tokens"

# Every role may hold tokens for what it may read; a user without a role has nothing to read.
rules.add_perm(MANAGE_OWN_TOKENS, is_oea_staff | is_focal_point | is_manager | is_odes_specialist | is_administrator)


class _AreaPermission(BasePermission):
    permission = ""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(self.permission))


class CanReadCooperations(_AreaPermission):
    """OEA staff, managers, administrators and focal points (the selectors narrow the latter)."""

    permission = COOPERATIONS_AREA


class CanReadPlan(_AreaPermission):
    """ODES specialists, managers and administrators."""

    permission = SEE_PLAN


class CanReadRanking(_AreaPermission):
    """Who may open the ranking pages: ODES specialists, managers and administrators."""

    permission = SEE_RANKING
