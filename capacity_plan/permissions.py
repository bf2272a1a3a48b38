"""Who may do what in the PFC (django-rules). ODES specialists run it; managers read it;
nobody else sees it (administrators see everything)."""

import rules

from accounts.permissions import is_administrator, is_manager, is_odes_specialist

# Permission names: the only place they are written.
PLAN_AREA = "capacity_plan.access_area"
EDIT_PLAN = "capacity_plan.edit_plan"
SEE_PLAN = "capacity_plan.see_plan"
REMOVE_ACTION = "capacity_plan.remove_action"

is_plan_editor = is_odes_specialist | is_administrator

rules.add_perm(PLAN_AREA, is_odes_specialist | is_manager)
rules.add_perm(EDIT_PLAN, is_plan_editor)
rules.add_perm(SEE_PLAN, is_plan_editor | is_manager)
# A training action entered by mistake is deleted by ODES (kept in its history).
rules.add_perm(REMOVE_ACTION, is_plan_editor)
