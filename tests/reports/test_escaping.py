"""Free text typed by users is shown as text everywhere: in pages, in charts drawn from it, and in
the PDFs made from it. Never as markup."""

import pytest
from django.urls import reverse

from capacity_plan.charts import indicator_trend_svg, reach_svg
from reports.summary import summary_pdf, summary_snapshot
from tests.factories import QuestionFactory, SessionFactory
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db

PAYLOAD = '--><script>alert("x")</script><img src=x onerror=alert(1)><b>negrita</b>'


def test_question_and_session_text_is_escaped_in_the_cooperation_page(world, client_for):
    QuestionFactory(objective=world.objective, number=7, text=f"¿Pregunta {PAYLOAD}?")
    SessionFactory(cooperation=world.cooperation, order=9, title="Sesión con marcas", summary=PAYLOAD)
    body = client_for("oea").get(reverse("cooperations:detail", args=[world.cooperation.pk])).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>negrita</b>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;b&gt;negrita&lt;/b&gt;" in body


def test_chart_labels_taken_from_user_text_cannot_inject_markup():
    for svg in (
        reach_svg(labels=[f"Hito {PAYLOAD}", "Hito 2"], reached=[3, 1], targets=[5, None]),
        indicator_trend_svg(name=PAYLOAD, periods=["Ene–Feb", "Mar–Abr"], values=[1, 2], target=3, unit="%"),
    ):
        assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "onerror" not in svg
        assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_the_summary_pdf_prints_markup_typed_by_users_as_plain_text(world):
    QuestionFactory(objective=world.objective, number=7, text="¿Qué significa <b>negrita</b> & <i>cursiva</i>?")
    text = pdf_text(summary_pdf(summary_snapshot(world.cooperation), number=1, label=""))
    assert "¿Qué significa <b>negrita</b> & <i>cursiva</i>?" in text
