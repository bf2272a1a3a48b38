"""Property-based fuzzing of the pasted question-list parser (cooperations/question_parser.py).

What a focal point pastes either becomes questions that hold exactly the text that was pasted
(no line lost, nothing invented, the numbers kept, sub-items still sub-items once stored), or is
refused with one of the parser's Spanish messages (a ValidationError); nothing else is raised.
"""

import re
from typing import Literal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cooperations.models import Question
from cooperations.question_parser import BULLET, MAX_LENGTH, MAX_QUESTIONS, NUMBERED, parse_question_list

FUZZ = settings(max_examples=300, deadline=None)

# Every way a line can end that str.splitlines() knows (Question.sub_item_list splits stored
# sub-items with it): Windows and old Mac breaks, and the Unicode ones (U+2028 comes with text
# copied from web pages and PDFs, \x0b is Word's manual line break, \x85 is cp1252's "…" misread).
LINE_BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
NUMBER_SEPARATORS = [".", ")", "-", "–", ":"]
BULLETS = ["·", "•", "-", "*", "–", "▪", "◦", "a)", "b.", "c )", "z."]

MESSAGES = {
    "empty": r"^Escriba al menos una pregunta\.$",
    "no_number": r"^Línea (\d+): la lista debe empezar con una pregunta numerada \(p\. ej\. «1\. ¿…\?»\)\.$",
    "too_many": rf"^Se pueden enviar como máximo {MAX_QUESTIONS} preguntas a la vez\.$",
    "blank": r"^La pregunta (\d+) está vacía\.$",
    "too_long": rf"^La pregunta (\d+) es demasiado larga \(máximo {MAX_LENGTH} caracteres\)\.$",
}


def refusal(raw):
    """Parse `raw` expecting a refusal; return (code, the number the message names or None)."""
    with pytest.raises(ValidationError) as error:
        parse_question_list(raw)
    return check_refusal(error.value)


def check_refusal(error):
    assert error.code in MESSAGES, error.code
    assert len(error.messages) == 1
    match = re.match(MESSAGES[error.code], error.messages[0])
    assert match, f"unexpected message: {error.messages[0]!r}"
    return error.code, int(match.group(1)) if match.groups() else None


def is_line_start(line):
    """Whether a line would be read as a new question or a sub-item rather than go on the text."""
    return bool(NUMBERED.match(line) or BULLET.match(line))


# --- text -----------------------------------------------------------------------------------------

# Any character but a line break (and lone surrogates, which a browser cannot send).
SURROGATES: tuple[Literal["Cs"], ...] = ("Cs",)
IN_LINE = st.characters(exclude_categories=SURROGATES, exclude_characters="".join(LINE_BREAKS))
TRICKY = st.sampled_from(
    [
        "¿Cuál es el perfil del público objetivo?",
        "<script>alert('x')</script>",
        "=1+1",
        "1.5 millones",
        "2024: año de la reforma",
        "a) b) c)",
        "- · •",
        "ñandú ÁÉÍÓÚ ü",
        "张伟问",
        "😀",
        "\u200b",
        "\u202eesrever",
        "\x00",
        "\t",
        "ǅ",
        "1e309",
        "—",
        "¿…?",
    ]
)
line_text = st.one_of(
    st.text(IN_LINE, min_size=1, max_size=40),
    TRICKY,
    st.builds(lambda a, b: f"{a} {b}", TRICKY, st.text(IN_LINE, max_size=20)),
)
# What the parser keeps of a line: stripped, never empty.
kept_text = line_text.map(str.strip).filter(bool)
# A line that goes on the text of the question (or sub-item) above it.
continuation = kept_text.filter(lambda text: not is_line_start(text))
indent = st.sampled_from(["", " ", "   ", "\t", "\u00a0", "\u3000"])


# --- well-formed lists ----------------------------------------------------------------------------


@st.composite
def sub_item(draw):
    """(lines, the sub-item the parser must make of them)"""
    marker, text = draw(st.sampled_from(BULLETS)), draw(kept_text)
    more = draw(st.lists(continuation, max_size=2))
    lines = [f"{draw(indent)}{marker}{draw(st.sampled_from(['', ' ', '  ']))}{text}"]
    lines += [f"{draw(indent)}{line}" for line in more]
    return lines, " ".join([text, *more])


@st.composite
def numbered_question(draw):
    """(lines, (number, text, sub-items) the parser must make of them)"""
    number = draw(st.integers(0, 999))
    separator = draw(st.sampled_from(NUMBER_SEPARATORS))
    text_lines = [draw(kept_text), *draw(st.lists(continuation, max_size=3))]
    head = f"{draw(indent)}{number}{draw(st.sampled_from(['', ' ']))}{separator}"
    if is_line_start(text_lines[0]) or draw(st.booleans()):  # the text starts on the numbered line
        lines = [f"{head}{draw(st.sampled_from(['', ' ', '  ']))}{text_lines[0]}"]
        lines += [f"{draw(indent)}{line}" for line in text_lines[1:]]
    else:  # «1.» alone, the text below it
        lines = [head, *(f"{draw(indent)}{line}" for line in text_lines)]
    subs = draw(st.lists(sub_item(), max_size=3))
    for sub_lines, _text in subs:
        lines += sub_lines
    return lines, (number, "\n".join(text_lines), [sub for _lines, sub in subs])


@st.composite
def pasted(draw, line_lists):
    """Lines joined by any line break, with blank lines here and there."""
    out = []
    for lines in line_lists:
        for line in lines:
            out.append(line)
            out.append(draw(st.sampled_from(LINE_BREAKS)))
            if draw(st.integers(0, 5)) == 0:
                out.append(draw(st.sampled_from(["", " ", "\t", "   "])) + draw(st.sampled_from(LINE_BREAKS)))
    if out and draw(st.booleans()):
        out.pop()  # no break after the last line
    return "".join(out)


@FUZZ
@given(data=st.data(), count=st.integers(1, 12))
def test_a_numbered_list_comes_back_question_by_question(data, count):
    questions = [data.draw(numbered_question(), label=f"question {n + 1}") for n in range(count)]
    raw = data.draw(pasted([lines for lines, _expected in questions]), label="pasted")
    parsed = parse_question_list(raw)
    assert [(q.number, q.text, q.sub_items) for q in parsed] == [expected for _lines, expected in questions]
    for question in parsed:  # stored as questions_submit stores them, the sub-items stay the same
        assert Question(text=question.text, sub_items="\n".join(question.sub_items)).sub_item_list == question.sub_items


def test_a_list_of_exactly_the_maximum_of_questions_is_accepted():
    raw = "\n".join(f"{n}. ¿Pregunta {n}?" for n in range(1, MAX_QUESTIONS + 1))
    assert [(q.number, q.text) for q in parse_question_list(raw)] == [
        (n, f"¿Pregunta {n}?") for n in range(1, MAX_QUESTIONS + 1)
    ]


@settings(max_examples=20, deadline=None)
@given(extra=st.integers(1, 30), breaks=st.sampled_from(LINE_BREAKS))
def test_more_than_the_maximum_of_questions_is_refused(extra, breaks):
    raw = breaks.join(f"{n}. ¿Pregunta {n}?" for n in range(1, MAX_QUESTIONS + extra + 1))
    assert refusal(raw) == ("too_many", None)


@FUZZ
@given(lines=st.lists(st.tuples(indent, continuation), min_size=1, max_size=8), data=st.data())
def test_text_without_numbers_is_one_question_with_all_its_lines(lines, data):
    raw = data.draw(pasted([[f"{pad}{line}" for pad, line in lines]]))
    parsed = parse_question_list(raw)
    assert [(q.number, q.text, q.sub_items) for q in parsed] == [(None, "\n".join(line for _pad, line in lines), [])]


@FUZZ
@given(data=st.data(), count=st.integers(1, 6), problem=st.sampled_from(["blank", "too_long"]))
def test_a_blank_or_too_long_question_is_named_by_its_number(data, count, problem):
    questions = [data.draw(numbered_question()) for _n in range(count)]
    culprit = data.draw(st.integers(0, count - 1))
    number = data.draw(st.integers(0, 999))
    separator = data.draw(st.sampled_from(NUMBER_SEPARATORS))
    if problem == "blank":
        lines = [f"{number}{separator}"]
    else:
        lines = [f"{number}{separator} " + "¿" * data.draw(st.integers(MAX_LENGTH + 1, MAX_LENGTH + 50))]
    questions[culprit] = (lines, None)
    raw = data.draw(pasted([lines for lines, _expected in questions]))
    assert refusal(raw) == (problem, number)


# --- anything at all ------------------------------------------------------------------------------

any_line = st.one_of(
    line_text,
    st.just(""),
    indent,
    st.text(max_size=30),  # st.text: any character, line breaks included
    st.builds(
        lambda pad, n, sep, text: f"{pad}{n}{sep}{text}",
        indent,
        st.integers(0, 1200).map(str),
        st.sampled_from([*NUMBER_SEPARATORS, "", " ", ". ", ") ", ","]),
        line_text | st.just(""),
    ),
    st.builds(lambda pad, marker, text: f"{pad}{marker} {text}", indent, st.sampled_from(BULLETS), line_text),
    st.builds(lambda n: "¿" * n, st.integers(MAX_LENGTH - 5, MAX_LENGTH + 5)),
)


def nonspace(text):
    return "".join(ch for ch in text if not ch.isspace())


def is_subsequence(small, big):
    rest = iter(big)
    return all(ch in rest for ch in small)


@settings(FUZZ, max_examples=1000)
@given(
    raw=st.one_of(
        st.lists(any_line, max_size=12).flatmap(lambda lines: pasted([lines])),
        st.text(),
        st.sampled_from(
            [
                "",
                "\x00",
                "\r\n\r\n",
                "1.",
                "1.\n2.",
                "·",
                "\ufeff1. a",
                "\u2028\u2029",
                "1. ¿Pregunta?\u20282. ¿Otra?",
                "1. a\n- b\x85c",
            ]
        ),
    )
)
def test_anything_pasted_becomes_its_own_text_or_a_spanish_refusal(raw):
    try:
        parsed = parse_question_list(raw)
    except ValidationError as error:
        code, number = check_refusal(error)
        lines = raw.splitlines()
        if code == "empty":
            assert not raw.strip()
        elif code == "no_number":  # the line named is the first one with text, and it has no number
            assert not any(line.strip() for line in lines[: number - 1])
            assert lines[number - 1].strip() and not NUMBERED.match(lines[number - 1])
        elif code in ("blank", "too_long"):  # the question named is one that was pasted
            numbers = [int(match.group(1)) for line in lines if (match := NUMBERED.match(line))]
            assert number in numbers or (code == "too_long" and number == 1 and not numbers)
        return

    assert 1 <= len(parsed) <= MAX_QUESTIONS
    pieces = []
    for question in parsed:
        assert question.text and question.text == question.text.strip() and len(question.text) <= MAX_LENGTH
        assert all(item and item == item.strip() for item in question.sub_items)
        stored = Question(text=question.text, sub_items="\n".join(question.sub_items))
        assert stored.sub_item_list == question.sub_items, "a sub-item would show split (or merged) once stored"
        pieces += [question.text, *question.sub_items]
    # Nothing invented: what comes out is the pasted text, in order, less whitespace, numbers and bullets.
    assert is_subsequence(nonspace("".join(pieces)), nonspace(raw))
    # Nothing lost: each pasted line is in the questions, less at most its number or bullet.
    everything = "\n".join(pieces)
    for line in raw.splitlines():
        kept = [line.strip()]
        if match := NUMBERED.match(line):
            kept.append(match.group(2).strip())
        if match := BULLET.match(line):
            kept.append(match.group(1).strip())
        assert any(not text or text in everything for text in kept), f"line lost: {line!r}"
    # One question per numbered line, with its number (when any line has one), else one question.
    numbers = [int(match.group(1)) for line in raw.splitlines() if (match := NUMBERED.match(line))]
    assert [q.number for q in parsed] == (numbers or [None])
