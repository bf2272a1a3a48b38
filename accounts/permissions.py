"""Role predicates (django-rules) and the area permissions built on them.

Views declare permissions by name (`PermissionRequiredMixin`, `permission_required`); object
scoping (which cooperations a focal point sees) lives in each app's selectors.
"""

import rules

from .roles import FOCAL_POINT, MANAGER, ODES_SPECIALIST, OEA_STAFF

is_oea_staff = rules.is_group_member(OEA_STAFF)
is_focal_point = rules.is_group_member(FOCAL_POINT)
is_odes_specialist = rules.is_group_member(ODES_SPECIALIST)
is_manager = rules.is_group_member(MANAGER)
is_administrator = rules.is_superuser

# Areas of the application, as the navigation shows them.
rules.add_perm("cooperations.access_area", is_oea_staff | is_focal_point | is_manager)
rules.add_perm("capacity_plan.access_area", is_odes_specialist | is_manager)
rules.add_perm("reports.access_area", is_oea_staff | is_focal_point | is_odes_specialist | is_manager)
