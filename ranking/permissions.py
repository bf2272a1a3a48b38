"""Who may read and who may edit and publish the regional performance ranking (django-rules).
ODES specialists (and administrators) enter, import and publish it; managers read it; nobody
else sees it."""

import rules

from accounts.permissions import is_manager
from capacity_plan.permissions import is_plan_editor

# Permission names: the only place they are written.
SEE_RANKING = "ranking.see_ranking"
EDIT_RANKING = "ranking.edit_ranking"

rules.add_perm(SEE_RANKING, is_plan_editor | is_manager)
rules.add_perm(EDIT_RANKING, is_plan_editor)
