from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.decorators import require
from core.responses import redirect_after
from core.services import is_request_key_error, submit_once
from rial_site.downloads import serve_private_file

from .. import selectors, services
from ..forms import QuestionAnswerForm, QuestionSubmitForm
from ..permissions import ANSWER_QUESTION, SEE_COOPERATION, SUBMIT_QUESTIONS
from ..services import ConcurrentEditError
from .common import Conflict, area_required, with_revision


@area_required
def questions_submit(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, SUBMIT_QUESTIONS, cooperation)
    form = QuestionSubmitForm(request.POST or None, cooperation=cooperation)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submit_once(
                key=form.cleaned_data["request_key"],
                by=request.user,
                create=lambda: services.questions_submit(
                    cooperation=cooperation,
                    objective=form.cleaned_data["objective"],
                    raw_text=form.cleaned_data["text"],
                    by=request.user,
                ),
                url_of=lambda created: f"{cooperation.get_absolute_url()}#preguntas",
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None if is_request_key_error(error) else "text", message)
        else:
            return redirect_after(
                request,
                submission,
                lambda created: (
                    ngettext(
                        "Se registró %(count)d pregunta (n.º %(first)d).",
                        "Se registraron %(count)d preguntas (n.º %(first)d a %(last)d).",
                        len(created),
                    )
                    % {"count": len(created), "first": created[0].number, "last": created[-1].number}
                ),
            )
    return render(request, "cooperations/questions_form.html", {"cooperation": cooperation, "form": form})


@area_required
def question_answer(request, question_pk):
    question = selectors.question_get(user=request.user, pk=question_pk)
    require(request.user, ANSWER_QUESTION, question)
    form = QuestionAnswerForm(request.POST or None, request.FILES or None, question=question)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                question=question,
                expected_revision=form.cleaned_data["expected_revision"],
                text=form.cleaned_data["written_answer"],
                attachment=form.cleaned_data["attachment"],
                by=request.user,
            )
        except ConcurrentEditError as error:
            conflict = Conflict(changes=error.changes)
            question = selectors.question_get(user=request.user, pk=question_pk)
            form = QuestionAnswerForm(with_revision(request.POST, question.revision), question=question)
            form.is_valid()
            if request.FILES:
                form.add_error("attachment", _("Vuelva a elegir el documento: el navegador no lo conserva."))
        except ValidationError as error:
            form.add_error("attachment" if form.cleaned_data["attachment"] else None, error.messages[0])
        else:
            messages.success(
                request, _("Se guardó la respuesta a la pregunta %(number)s.") % {"number": question.number}
            )
            return redirect(f"{question.cooperation.get_absolute_url()}#pregunta-{question.pk}")
    return render(
        request,
        "cooperations/question_answer_form.html",
        {
            "question": question,
            "cooperation": question.cooperation,
            "form": form,
            "conflict": conflict,
            "versions": selectors.answer_versions(question=question),
        },
    )


@area_required
def question_attachment_download(request, question_pk):
    question = selectors.question_get(user=request.user, pk=question_pk)
    require(request.user, SEE_COOPERATION, question.cooperation)
    return serve_private_file(question.answer_attachment, question.answer_attachment_name)


@area_required
def answer_version_attachment_download(request, version_pk):
    """The attachment of one saved answer, also of an earlier one."""
    version = selectors.answer_version_get(user=request.user, pk=version_pk)
    require(request.user, SEE_COOPERATION, version.question.cooperation)
    return serve_private_file(version.attachment, version.attachment_name, version.content_type or None)
