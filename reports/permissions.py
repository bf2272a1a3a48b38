"""Who may request, read and download which reports (django-rules).

Cooperation summaries: OEA staff (and administrators) and the focal points of the cooperation's
two institutions; monitoring reports: managers and ODES specialists (and administrators).
Nobody else, whatever else they may see.

The narrative of a monitoring report (executive summary, analysis, recommendations, signer):
written by those who run the plan (ODES specialists and administrators, the plan's edit rule),
read by everyone who reads the monitoring reports.

Comments on a summary version: OEA staff (and administrators) and the focal points of the
cooperation's two institutions read and write them; OEA staff (and administrators) resolve them.
"""

import rules

from accounts.permissions import (
    is_administrator,
    is_focal_point,
    is_manager,
    is_odes_specialist,
    is_oea_staff,
)
from capacity_plan.permissions import is_plan_editor
from cooperations.permissions import is_cooperation_party

# Permission names: the only place they are written.
REPORTS_AREA = "reports.access_area"
USE_SUMMARIES = "reports.use_summaries"
SEE_SUMMARIES = "reports.see_summaries"
PUBLISH_SUMMARY = "reports.publish_summary"
SEE_MONITORING = "reports.see_monitoring"
REQUEST_MONITORING = "reports.request_monitoring"
EDIT_MONITORING_NARRATIVE = "reports.edit_monitoring_narrative"
SEE_SUMMARY_COMMENTS = "reports.see_summary_comments"
COMMENT_SUMMARY = "reports.comment_summary"
RESOLVE_SUMMARY_COMMENT = "reports.resolve_summary_comment"

rules.add_perm(REPORTS_AREA, is_oea_staff | is_focal_point | is_odes_specialist | is_manager)
# Roles that read summaries at all (which ones: SEE_SUMMARIES, per cooperation).
rules.add_perm(USE_SUMMARIES, is_oea_staff | is_administrator | is_focal_point)
rules.add_perm(SEE_SUMMARIES, is_oea_staff | is_administrator | (is_focal_point & is_cooperation_party))
rules.add_perm(PUBLISH_SUMMARY, is_oea_staff | is_administrator)
rules.add_perm(SEE_MONITORING, is_manager | is_odes_specialist | is_administrator)
rules.add_perm(REQUEST_MONITORING, is_manager | is_odes_specialist | is_administrator)
rules.add_perm(EDIT_MONITORING_NARRATIVE, is_plan_editor)
rules.add_perm(SEE_SUMMARY_COMMENTS, is_oea_staff | is_administrator | (is_focal_point & is_cooperation_party))
rules.add_perm(COMMENT_SUMMARY, is_oea_staff | is_administrator | (is_focal_point & is_cooperation_party))
rules.add_perm(RESOLVE_SUMMARY_COMMENT, is_oea_staff | is_administrator)
