"""Who may issue, read and revoke which certificates (django-rules).

Training certificates belong to the PFC: ODES specialists (and administrators) issue and revoke
them; managers read them. Participation certificates belong to the RIAL cooperations: OEA staff
(and administrators) issue and revoke them; managers read them. Nobody else, whatever else they
may see. Verifying a certificate by its code needs no account (certificates.views.verify).
"""

import rules

from accounts.permissions import is_manager
from capacity_plan.permissions import is_plan_editor
from cooperations.permissions import is_editor as is_cooperation_editor

from .models import CertificateKind

# Permission names: the only place they are written.
ISSUE_TRAINING_CERTIFICATES = "certificates.issue_training_certificates"
SEE_TRAINING_CERTIFICATES = "certificates.see_training_certificates"
ISSUE_PARTICIPATION_CERTIFICATES = "certificates.issue_participation_certificates"
SEE_PARTICIPATION_CERTIFICATES = "certificates.see_participation_certificates"
# Roles that see certificates of some kind (which ones: SEE_CERTIFICATE, per certificate or job).
CERTIFICATES_AREA = "certificates.access_area"
# Per certificate or job (its kind decides): read it, download it; revoke it.
SEE_CERTIFICATE = "certificates.see_certificate"
REVOKE_CERTIFICATE = "certificates.revoke_certificate"


@rules.predicate
def is_training(user, obj) -> bool:
    return obj is not None and obj.kind == CertificateKind.TRAINING


@rules.predicate
def is_participation(user, obj) -> bool:
    return obj is not None and obj.kind == CertificateKind.PARTICIPATION


rules.add_perm(CERTIFICATES_AREA, is_plan_editor | is_cooperation_editor | is_manager)
rules.add_perm(ISSUE_TRAINING_CERTIFICATES, is_plan_editor)
rules.add_perm(SEE_TRAINING_CERTIFICATES, is_plan_editor | is_manager)
rules.add_perm(ISSUE_PARTICIPATION_CERTIFICATES, is_cooperation_editor)
rules.add_perm(SEE_PARTICIPATION_CERTIFICATES, is_cooperation_editor | is_manager)
rules.add_perm(
    SEE_CERTIFICATE,
    (is_training & (is_plan_editor | is_manager)) | (is_participation & (is_cooperation_editor | is_manager)),
)
rules.add_perm(REVOKE_CERTIFICATE, (is_training & is_plan_editor) | (is_participation & is_cooperation_editor))
