"""Table N° 1 of the PFC: which actions suit each servant profile."""

from django.utils.translation import gettext_lazy as _

from .models import PublicServant, TrainingAction

Profile = PublicServant.Profile
Kind = TrainingAction.Kind

# profile -> (training actions as the table words them, the matching action kinds, technical-assistance forms)
RECOMMENDATIONS = {
    Profile.NEW: (
        [
            _("Cursos básicos: introducción a las funciones y responsabilidades"),
            _("Talleres prácticos: desarrollo de habilidades técnicas y procedimentales"),
            _("Pasantías: experiencia práctica en entornos reales de trabajo"),
        ],
        [Kind.COURSE, Kind.WORKSHOP, Kind.INTERNSHIP],
        [_("Orientación inicial"), _("Sesiones de seguimiento"), _("Acompañamiento en campo")],
    ),
    Profile.STRUGGLING: (
        [
            _("Cursos de actualización: refuerzo de conocimientos y habilidades específicas"),
            _("Talleres de mejora: enfoque en áreas críticas o nudos problemáticos"),
            _("Conferencias: actualización en normativas y buenas prácticas"),
        ],
        [Kind.COURSE, Kind.WORKSHOP, Kind.CONFERENCE],
        [_("Asesoría especializada"), _("Sesiones de retroalimentación")],
    ),
    Profile.IMPROVING: (
        [
            _("Diplomados o programas de especialización: profundización en áreas específicas"),
            _("Cursos avanzados: desarrollo de competencias de liderazgo y gestión"),
            _("Conferencias y seminarios: actualización en tendencias y políticas sectoriales"),
        ],
        [Kind.DIPLOMA, Kind.COURSE, Kind.CONFERENCE],
        [_("Asistencia técnica estratégica"), _("Sesiones de innovación")],
    ),
}


def recommendations_for(profile: str) -> dict | None:
    if profile not in RECOMMENDATIONS:
        return None
    actions, kinds, assistance = RECOMMENDATIONS[Profile(profile)]
    return {
        "profile": Profile(profile).label,
        "actions": actions,
        "kinds": kinds,
        "kind_labels": [Kind(kind).label for kind in kinds],
        "assistance": assistance,
    }
