"""Who may export what (django-rules).

A list downloads for whoever may open the list page: its permission is the page's own
(`COOPERATIONS_AREA` for the cooperation lists, `SEE_PLAN` for the PFC's, see exports.lists), and
its rows come from the page's selector, scoped to the user. The pages of a background export (its
progress, its file) are for the user who asked for it, and for nobody else.
"""

import rules

from accounts.permissions import is_administrator, is_focal_point, is_manager, is_odes_specialist, is_oea_staff

# Permission names: the only place they are written.
USE_EXPORTS = "exports.use_exports"

# Every role that has a list to export.
rules.add_perm(USE_EXPORTS, is_oea_staff | is_focal_point | is_manager | is_odes_specialist | is_administrator)
