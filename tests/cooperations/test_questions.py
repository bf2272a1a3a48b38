import pytest
from django.test import Client
from django.urls import reverse

from cooperations.models import AnswerVersion, Question
from tests.files import ELF_BYTES, docx, docx_bytes, upload
from tests.forms import with_key

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
    response = client.post(url, with_key(objective=world.objective.pk, text=PASTED), follow=True)
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
    response = client.post(url, with_key(objective=world.objective.pk, text=text))
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
        with_key(objective=foreign.pk, text="1. ¿Algo?"),
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
    response = client.post(
        url, {"written_answer": "Por concurso público.", "attachment": docx("bases.docx"), "expected_revision": 1}
    )
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
    empty = client.post(url, {"written_answer": "  ", "expected_revision": 1})
    assert "Escriba la respuesta o adjunte un documento." in empty.content.decode()
    bad = client.post(
        url, {"written_answer": "Mi respuesta larga", "attachment": upload("r.pdf", ELF_BYTES), "expected_revision": 1}
    )
    body = bad.content.decode()
    assert "no corresponde a un documento PDF" in body
    assert "Mi respuesta larga" in body
    question.refresh_from_db()
    assert question.status == Question.Status.SENT and question.written_answer == ""


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_each_answer_is_a_version_and_earlier_attachments_stay_downloadable(world, client_for):
    question = world.question  # answered by OEA staff with respuesta.docx (version 1)
    client = client_for(world.users["focal_providing"])
    url = reverse("cooperations:question_answer", args=[question.pk])
    first_file = downloaded(client.get(reverse("cooperations:question_attachment", args=[question.pk])))

    new_file = docx("bases.docx", text="Bases del concurso")
    edited = client.post(
        url, {"written_answer": "Por concurso público.", "attachment": new_file, "expected_revision": question.revision}
    )
    assert edited.status_code == 302
    question.refresh_from_db()
    text_only = client.post(
        url, {"written_answer": "Por concurso público, cada año.", "expected_revision": question.revision}
    )
    assert text_only.status_code == 302

    question.refresh_from_db()
    versions = list(AnswerVersion.objects.filter(question=question).order_by("number"))
    assert [(v.number, v.text, v.attachment_name) for v in versions] == [
        (1, "Respuesta", "respuesta.docx"),
        (2, "Por concurso público.", "bases.docx"),
        (3, "Por concurso público, cada año.", "bases.docx"),  # the attachment stays when none is sent
    ]
    assert [v.answered_by for v in versions[1:]] == [world.users["focal_providing"]] * 2
    assert versions[2].attachment.name == versions[1].attachment.name != versions[0].attachment.name
    assert (question.written_answer, question.answer_attachment.name) == (
        "Por concurso público, cada año.",
        versions[2].attachment.name,
    )
    # Every version's attachment, also the replaced one, can still be downloaded by the record's readers.
    reader = client_for(world.users["focal_requesting"])
    old = reader.get(reverse("cooperations:answer_version_attachment", args=[versions[0].pk]))
    assert old.status_code == 200 and downloaded(old) == first_file
    assert downloaded(reader.get(reverse("cooperations:answer_version_attachment", args=[versions[1].pk]))) == (
        docx_bytes("Bases del concurso")
    )
    assert (
        client_for(world.users["focal_other"])
        .get(reverse("cooperations:answer_version_attachment", args=[versions[0].pk]))
        .status_code
        == 404
    )
    page = client.get(url).content.decode()
    assert page.count('data-testid="answer-version"') == 3
    with pytest.raises(ValueError):
        versions[0].delete()


def test_a_stale_answer_is_refused_and_keeps_the_typed_text(world):
    first, second = Client(), Client()
    first.force_login(world.users["focal_providing"])
    second.force_login(world.users["oea"])
    url = reverse("cooperations:question_answer", args=[world.question.pk])
    opened = world.question.revision
    assert first.post(url, {"written_answer": "Respuesta de Paraguay", "expected_revision": opened}).status_code == 302

    response = second.post(url, {"written_answer": "Respuesta de la OEA", "expected_revision": opened})

    body = response.content.decode()
    assert response.status_code == 200
    assert "No se guardó: otra persona modificó este registro" in body
    assert "«Respuesta» → «Respuesta de Paraguay»" in body
    assert "Respuesta de la OEA</textarea>" in body
    world.question.refresh_from_db()
    assert world.question.written_answer == "Respuesta de Paraguay"
    assert world.question.answer_versions.count() == 2
    # Having seen the other answer, the user may save on purpose.
    again = second.post(url, {"written_answer": "Respuesta de la OEA", "expected_revision": world.question.revision})
    assert again.status_code == 302
    world.question.refresh_from_db()
    assert world.question.written_answer == "Respuesta de la OEA"
    assert world.question.answer_versions.count() == 3


def test_an_answer_saved_before_versions_existed_is_kept_when_it_is_replaced(world, client_for):
    question = Question.objects.create(
        cooperation=world.cooperation,
        objective=world.objective,
        number=9,
        text="¿Pregunta del documento?",
        asked_by=world.peru,
        written_answer="Respuesta cargada con la semilla",
        status=Question.Status.ANSWERED,
    )
    client = client_for(world.users["focal_providing"])
    url = reverse("cooperations:question_answer", args=[question.pk])
    assert client.post(url, {"written_answer": "Respuesta nueva", "expected_revision": 1}).status_code == 302
    assert list(question.answer_versions.order_by("number").values_list("text", flat=True)) == [
        "Respuesta cargada con la semilla",
        "Respuesta nueva",
    ]
