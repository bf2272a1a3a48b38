"""Who may request, read and download which reports (django-rules).

Cooperation summaries: OEA staff (and administrators) and the focal points of the cooperation's
two institutions; monitoring reports: managers and ODES specialists (and administrators).
Nobody else, whatever else they may see.
"""

import rules

from accounts.permissions import (
    is_administrator,
    is_focal_point,
    is_manager,
    is_odes_specialist,
    is_oea_staff,
)
from cooperations.permissions import is_cooperation_party

# Roles that read summaries at all (which ones: view_summaries, per cooperation).
rules.add_perm("reports.use_summaries", is_oea_staff | is_administrator | is_focal_point)
rules.add_perm("reports.view_summaries", is_oea_staff | is_administrator | (is_focal_point & is_cooperation_party))
rules.add_perm("reports.publish_summary", is_oea_staff | is_administrator)
rules.add_perm("reports.view_monitoring", is_manager | is_odes_specialist | is_administrator)
rules.add_perm("reports.request_monitoring", is_manager | is_odes_specialist | is_administrator)
