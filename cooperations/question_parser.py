"""Turns a pasted, numbered list of questions into questions with their sub-items.

    1. ¿Cuál es el perfil del público objetivo?
    2) Procesos y actividades:
       · ¿Cómo identifican los cursos?
       - ¿Cómo seleccionan a la entidad?

Every numbered line starts a question; bullet lines (·, •, -, *, –, a), b.) under it are its
sub-items; other lines continue the question (or the last sub-item). Text without any number
is one question.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)\-–:]\s*(.*)$")
BULLET = re.compile(r"^\s*(?:[·•\-*–▪◦]|[a-z]\s*[).])\s*(.+)$")
MAX_QUESTIONS = 100
MAX_LENGTH = 4000


@dataclass
class ParsedQuestion:
    number: int | None
    text: str
    sub_items: list[str] = field(default_factory=list)


def parse_question_list(raw: str) -> list[ParsedQuestion]:
    # splitlines(), as Question.sub_item_list: U+2028, \x0b (Word's line break), \x85... end a line too.
    lines = [line.rstrip() for line in (raw or "").splitlines()]
    if not any(line.strip() for line in lines):
        raise ValidationError(_("Escriba al menos una pregunta."), code="empty")
    has_numbers = any(NUMBERED.match(line) for line in lines)

    questions: list[ParsedQuestion] = []
    current: ParsedQuestion | None = None
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        numbered = NUMBERED.match(line) if has_numbers else None
        bullet = BULLET.match(line)
        if numbered:
            current = ParsedQuestion(number=int(numbered.group(1)), text=numbered.group(2).strip())
            questions.append(current)
        elif current is None and has_numbers:
            raise ValidationError(
                _("Línea %(line)s: la lista debe empezar con una pregunta numerada (p. ej. «1. ¿…?»).")
                % {"line": line_number},
                code="no_number",
            )
        elif current is None:
            current = ParsedQuestion(number=None, text=line.strip())
            questions.append(current)
        elif bullet:
            current.sub_items.append(bullet.group(1).strip())
        elif current.sub_items:
            current.sub_items[-1] = f"{current.sub_items[-1]} {line.strip()}"
        else:
            current.text = f"{current.text}\n{line.strip()}" if current.text else line.strip()

    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("Se pueden enviar como máximo %(max)s preguntas a la vez.") % {"max": MAX_QUESTIONS}, code="too_many"
        )
    for question in questions:
        if not question.text and question.sub_items:
            question.text, question.sub_items = question.sub_items[0], question.sub_items[1:]
        if not question.text:
            raise ValidationError(_("La pregunta %(number)s está vacía.") % {"number": question.number}, code="blank")
        if len(question.text) > MAX_LENGTH:
            number = 1 if question.number is None else question.number  # «0.» is question 0, not 1
            raise ValidationError(
                _("La pregunta %(number)s es demasiado larga (máximo %(max)s caracteres).")
                % {"number": number, "max": MAX_LENGTH},
                code="too_long",
            )
    return questions
