"""Entry points of the wizards: start or resume a procedure, its steps, discard a draft, the confirmation."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tramits.catalogue.procedures import get_procedure
from tramits.documents.codes import csv_display
from tramits.submissions.selectors import submission_get_for, submission_receipt
from tramits.submissions.services import submission_receipt_ensure
from tramits.terminis.calendar import format_official_instant
from tramits.wizards.models import Draft
from tramits.wizards.registry import wizard_view
from tramits.wizards.services import DraftNotFound, draft_discard


def _canonical(code: str) -> str:
    procedure = get_procedure(code)
    if procedure is None or wizard_view(procedure.code) is None:
        raise Http404("Unknown procedure")
    return procedure.code


@never_cache
@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The guide's "Tramita en línia" button: start the wizard, or resume the draft; finder answers prefill it."""
    canonical = _canonical(code)
    if canonical != code:
        return redirect(reverse("wizards:start", kwargs={"code": canonical}) + _query(request))
    return wizard_view(code)(request, code=code)


@never_cache
@login_required
def step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    canonical = _canonical(code)
    if canonical != code:
        return redirect("wizards:start", code=canonical)
    try:
        return wizard_view(code)(request, code=code, step=step)
    except DraftNotFound:
        messages.error(request, _("Aquest esborrany ja no existeix. Torneu a començar el tràmit."))
        return redirect("wizards:start", code=code)


@never_cache
@login_required
def resume(request: HttpRequest, code: str, key: uuid.UUID) -> HttpResponse:
    """The resume link of a draft (from the carpeta, on any device where the citizen is logged in)."""
    canonical = _canonical(code)
    if not Draft.objects.filter(key=key, user=request.user, procedure_code=canonical).exists():
        raise Http404("No such draft")
    return redirect("wizards:start", code=canonical)


@login_required
@require_POST
def discard(request: HttpRequest, code: str) -> HttpResponse:
    """Start again: the draft and its files are deleted."""
    canonical = _canonical(code)
    if draft_discard(user=request.user, procedure_code=canonical):
        messages.success(request, _("S'ha esborrat l'esborrany. Podeu tornar a començar."))
    return redirect("wizards:start", code=canonical)


@never_cache
@login_required
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation panel: both numbers, the official time and the receipt's CSV, or an honest "received"."""
    submission = submission_get_for(user=request.user, reference=reference)
    if submission is None:
        raise Http404("No such submission")
    procedure = get_procedure(submission.procedure_code)
    language = (get_language() or "ca")[:2]
    late = submission.is_registered and submission.attempts > 1
    return render(
        request,
        "wizards/confirmation.html",
        {
            "submission": submission,
            "procedure": procedure,
            "procedure_title": procedure.title(language) if procedure else submission.subject,
            "registered_at": format_official_instant(submission.registered_at) if submission.registered_at else "",
            "received_at": format_official_instant(submission.created_at) if late else "",
            "receipt_csv": csv_display(submission.receipt_csv) if submission.receipt_csv else "",
            "receipt_ready": submission_receipt(submission=submission) is not None,
        },
    )


@never_cache
@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The receipt of the citizen's own submission, rendered now if the background work has not done it yet."""
    submission = submission_get_for(user=request.user, reference=reference)
    if submission is None or not submission.is_registered:
        raise Http404("No such submission")
    document = submission_receipt_ensure(submission=submission)
    if document is None:
        raise Http404("No receipt")
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _query(request: HttpRequest) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""
