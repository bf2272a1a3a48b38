import pytest
from django.urls import reverse

from cooperations.models import Question
from tests.files import ELF_BYTES, docx, upload

pytestmark = pytest.mark.django_db

PASTED = """1. ¿Cuál es el perfil del público objetivo del SOVIO?
2. ¿Cómo se articula con el Ministerio de Educación?
   · ¿Existe un convenio?
   · ¿Quién lo firma?
3. ¿Qué indicadores de impacto usan?
4. ¿Cómo forman a los orientadores?
5. ¿Qué presupuesto tiene el programa?"""


def test_a_focal_point_pastes_a_numbered_list_and_each_number_becomes_a_question(world, client_for):
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:questions_submit", args=[world.cooperation.pk])
    response = client.post(url, {"objective": world.objective.pk, "text": PASTED}, follow=True)
    assert "Se registraron 5 preguntas (n.º 2 a 6)." in response.content.decode()
    created = list(Question.objects.filter(cooperation=world.cooperation, number__gte=2).order_by("number"))
    assert [q.text[:20] for q in created] == [
        "¿Cuál es el perfil d",
        "¿Cómo se articula co",
        "¿Qué indicadores de ",
        "¿Cómo forman a los o",
        "¿Qué presupuesto tie",
    ]
    assert created[1].sub_item_list == ["¿Existe un convenio?", "¿Quién lo firma?"]
    assert {q.objective_id for q in created} == {world.objective.pk}
    assert {q.asked_by_id for q in created} == {world.peru.pk}
    assert {q.submitted_by_id for q in created} == {world.users["focal_requesting"].pk}
    assert all(q.status == Question.Status.SENT for q in created)


def test_a_bad_list_saves_nothing_and_keeps_the_text(world, client_for):
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:questions_submit", args=[world.cooperation.pk])
    text = "Estimados colegas:\n1. ¿Primera?"
    response = client.post(url, {"objective": world.objective.pk, "text": text})
    body = response.content.decode()
    assert "Línea 1: la lista debe empezar con una pregunta numerada" in body
    assert "Estimados colegas:" in body
    assert Question.objects.count() == 1


def test_an_objective_of_another_cooperation_is_refused(world, client_for):
    from tests.factories import SpecificObjectiveFactory

    foreign = SpecificObjectiveFactory(cooperation=world.other)
    client = client_for(world.users["focal_requesting"])
    response = client.post(
        reverse("cooperations:questions_submit", args=[world.cooperation.pk]),
        {"objective": foreign.pk, "text": "1. ¿Algo?"},
    )
    assert "Escoja una opción válida" in response.content.decode()
    assert Question.objects.count() == 1


def test_the_providing_focal_point_answers_in_text_and_with_an_attachment(world, client_for):
    question = Question.objects.create(
        cooperation=world.cooperation,
        objective=world.objective,
        number=7,
        text="¿Cómo seleccionan a la entidad?",
        asked_by=world.peru,
    )
    client = client_for(world.users["focal_providing"])
    url = reverse("cooperations:question_answer", args=[question.pk])
    response = client.post(url, {"written_answer": "Por concurso público.", "attachment": docx("bases.docx")})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.written_answer == "Por concurso público."
    assert question.answer_attachment_name == "bases.docx"
    assert question.answered_by == world.users["focal_providing"]
    download = client_for(world.users["focal_requesting"]).get(
        reverse("cooperations:question_attachment", args=[question.pk])
    )
    assert download.status_code == 200


def test_an_answer_needs_text_or_a_file_and_a_bad_file_keeps_the_text(world, client_for):
    question = Question.objects.create(
        cooperation=world.cooperation, objective=world.objective, number=8, text="¿Pregunta?", asked_by=world.peru
    )
    client = client_for(world.users["focal_providing"])
    url = reverse("cooperations:question_answer", args=[question.pk])
    empty = client.post(url, {"written_answer": "  "})
    assert "Escriba la respuesta o adjunte un documento." in empty.content.decode()
    bad = client.post(url, {"written_answer": "Mi respuesta larga", "attachment": upload("r.pdf", ELF_BYTES)})
    body = bad.content.decode()
    assert "no corresponde a un documento PDF" in body
    assert "Mi respuesta larga" in body
    question.refresh_from_db()
    assert question.status == Question.Status.SENT and question.written_answer == ""
