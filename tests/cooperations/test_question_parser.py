import pytest
from django.core.exceptions import ValidationError

from cooperations.question_parser import parse_question_list


def test_each_number_becomes_a_question_with_its_bulleted_sub_items():
    parsed = parse_question_list(
        "1. ¿Cuál es el perfil del público objetivo?\n"
        "2) ¿Existe capacitación para poblaciones vulnerables?\n"
        "3. Procesos y actividades que desarrollan.\n"
        "   · ¿Cómo identifican los cursos que se brindan?\n"
        "   - ¿Cómo seleccionan a la entidad?\n"
        "\n"
        "4. ¿Cuentan con unidades\ndesconcentradas?\n"
    )
    assert [(q.number, q.text, q.sub_items) for q in parsed] == [
        (1, "¿Cuál es el perfil del público objetivo?", []),
        (2, "¿Existe capacitación para poblaciones vulnerables?", []),
        (
            3,
            "Procesos y actividades que desarrollan.",
            ["¿Cómo identifican los cursos que se brindan?", "¿Cómo seleccionan a la entidad?"],
        ),
        (4, "¿Cuentan con unidades\ndesconcentradas?", []),
    ]


def test_text_without_numbers_is_one_question():
    parsed = parse_question_list("¿Cómo se valida la intermediación de un beneficiario?")
    assert [(q.number, q.text) for q in parsed] == [(None, "¿Cómo se valida la intermediación de un beneficiario?")]


def test_windows_line_breaks_and_lettered_sub_items():
    parsed = parse_question_list("1. Pregunta uno\r\n a) primera parte\r\n b) segunda parte\r\n2. Pregunta dos")
    assert [(q.number, q.sub_items) for q in parsed] == [(1, ["primera parte", "segunda parte"]), (2, [])]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Escriba al menos una pregunta."),
        ("   \n  ", "Escriba al menos una pregunta."),
        ("Introducción suelta\n1. ¿Pregunta?", "Línea 1: la lista debe empezar con una pregunta numerada"),
        ("1. ¿Pregunta?\n2.   ", "La pregunta 2 está vacía."),
    ],
)
def test_bad_lists_are_refused_with_a_spanish_message(raw, message):
    with pytest.raises(ValidationError) as error:
        parse_question_list(raw)
    assert message in error.value.messages[0]


def test_more_than_one_hundred_questions_at_once_are_refused():
    raw = "\n".join(f"{n}. ¿Pregunta {n}?" for n in range(1, 102))
    with pytest.raises(ValidationError, match="como máximo 100"):
        parse_question_list(raw)
