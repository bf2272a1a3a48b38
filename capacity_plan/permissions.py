"""Who may do what in the PFC (django-rules). ODES specialists run it; managers read it;
nobody else sees it (administrators see everything)."""

import rules

from accounts.permissions import is_administrator, is_manager, is_odes_specialist

is_plan_editor = is_odes_specialist | is_administrator

rules.add_perm("capacity_plan.edit_plan", is_plan_editor)
rules.add_perm("capacity_plan.view_plan", is_plan_editor | is_manager)
