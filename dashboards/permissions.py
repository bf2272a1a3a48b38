"""Who opens which panel (django-rules).

The cooperations panel: OEA staff, managers and administrators across every cooperation, focal
points for their institution only (the selectors scope it, like the cooperation list). The PFC
panel and its region pages: those who read the PFC (ODES specialists, managers, administrators).
"""

import rules

from accounts.permissions import is_administrator, is_focal_point, is_manager, is_oea_staff
from capacity_plan.permissions import is_plan_editor

# Permission names: the only place they are written.
SEE_COOPERATION_PANEL = "dashboards.see_cooperation_panel"
SEE_PLAN_PANEL = "dashboards.see_plan_panel"

rules.add_perm(SEE_COOPERATION_PANEL, is_oea_staff | is_focal_point | is_manager | is_administrator)
rules.add_perm(SEE_PLAN_PANEL, is_plan_editor | is_manager)
