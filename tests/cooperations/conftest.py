import pytest

from accounts.roles import OEA_STAFF
from cooperations.services import deliverable_version_upload, question_answer
from tests.factories import (
    CooperationFactory,
    DeliverableFactory,
    InstitutionFactory,
    QuestionFactory,
    SessionFactory,
    SpecificObjectiveFactory,
    StepFactory,
    country,
    focal_point_for,
    user_with_role,
)
from tests.files import docx


class World:
    """Two cooperations: ours (Peru requests, Paraguay shares) and an unrelated one (Chile –
    Mexico), with a focal point for each institution and one user per other role."""


@pytest.fixture
def world(db, make_user):
    w = World()
    w.peru = InstitutionFactory(
        name="Ministerio de Trabajo y Promoción del Empleo", acronym="MTPE", country=country("PE")
    )
    w.paraguay = InstitutionFactory(
        name="Ministerio del Trabajo, Empleo y Seguridad Social", acronym="MTEySS", country=country("PY")
    )
    w.chile = InstitutionFactory(
        name="Ministerio del Trabajo y Previsión Social", acronym="MTPS", country=country("CL")
    )
    w.mexico = InstitutionFactory(
        name="Secretaría del Trabajo y Previsión Social", acronym="STPS", country=country("MX")
    )
    w.cooperation = CooperationFactory(
        short_name="Perú – Paraguay", requesting_institution=w.peru, providing_institution=w.paraguay
    )
    w.other = CooperationFactory(
        short_name="Chile – México", requesting_institution=w.chile, providing_institution=w.mexico
    )
    w.objective = SpecificObjectiveFactory(cooperation=w.cooperation, order=1, text="Mecánica operativa")
    w.session = SessionFactory(cooperation=w.cooperation, order=1)
    w.step = StepFactory(cooperation=w.cooperation, after_session=w.session)
    w.question = QuestionFactory(objective=w.objective, number=1)
    w.deliverable = DeliverableFactory(cooperation=w.cooperation, institution=w.peru)
    w.users = {
        "oea": make_user("oea"),
        "manager": make_user("manager"),
        "odes": make_user("odes"),
        "admin": make_user("admin"),
        "focal_requesting": focal_point_for(w.peru),
        "focal_providing": focal_point_for(w.paraguay),
        "focal_other": focal_point_for(w.chile),
    }
    staff = user_with_role(OEA_STAFF)
    w.version = deliverable_version_upload(deliverable=w.deliverable, file=docx(), note="", by=staff)
    w.question = question_answer(
        question=w.question,
        expected_revision=w.question.revision,
        text="Respuesta",
        attachment=docx("respuesta.docx"),
        by=staff,
    )
    return w
