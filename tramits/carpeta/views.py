"""La meva carpeta: the citizen's expedients, notifications, receipts and representations.

Every object is looked up through selectors limited to the user's own data and their represented
persons'; anything else is a 404, staff included. Each access to personal data is logged as an
event with ids only.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tramits.carpeta import selectors
from tramits.notificacions.selectors import notification_for
from tramits.notificacions.services import notification_access
from tramits.representacions.models import LIVE_STATES
from tramits.representacions.selectors import representations_of
from tramits.representacions.services import RepresentationError, representation_revoke

logger = logging.getLogger(__name__)


def _log_access(request: HttpRequest, action: str, **ids) -> None:
    """A structured event of who opened what, by ids only: never a name or a document number."""
    fields = " ".join(f"{key}={value}" for key, value in sorted(ids.items()))
    logger.info("carpeta.personal_data_access action=%s user=%s %s", action, request.user.pk, fields)


def _file(file_field, *, file_name: str, content_type: str) -> FileResponse:
    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=file_name, content_type=content_type)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The carpeta's home: what needs an answer first, then notifications, expedients, drafts and receipts."""
    carpeta = selectors.carpeta_home(user=request.user, page_number=request.GET.get("pagina") or 1)
    _log_access(request, "home", page=carpeta.page.number)
    return render(request, "carpeta/home.html", {"carpeta": carpeta, "page_obj": carpeta.page})


@never_cache
@login_required
def expedient_detail(request: HttpRequest, reference: str) -> HttpResponse:
    expedient = selectors.carpeta_expedient(user=request.user, reference=reference)
    if expedient is None:
        raise Http404
    detail = selectors.carpeta_expedient_detail(user=request.user, expedient=expedient)
    _log_access(request, "expedient", expedient=expedient.reference)
    return render(request, "carpeta/expedient_detail.html", {"detail": detail, "expedient": expedient})


@never_cache
@login_required
def expedient_document(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    expedient = selectors.carpeta_expedient(user=request.user, reference=reference)
    document = selectors.citizen_document(expedient=expedient, pk=pk) if expedient is not None else None
    if document is None:
        raise Http404
    _log_access(request, "document_download", expedient=expedient.reference, document=document.pk)
    return _file(document.file, file_name=document.file_name, content_type=document.content_type)


@never_cache
@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.receipt_for(user=request.user, pk=pk)
    if document is None:
        raise Http404
    _log_access(request, "receipt_download", receipt=document.pk)
    return _file(document.file, file_name=document.file_name, content_type=document.content_type)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification(request: HttpRequest, pk: int) -> HttpResponse:
    """GET warns that opening counts as notified; the POST records the access; then the content shows."""
    item = notification_for(user=request.user, pk=pk)
    if item is None:
        raise Http404
    if request.method == "POST":
        notification_access(
            notification=item,
            user=request.user,
            ip=request.META.get("REMOTE_ADDR", ""),
            user_agent=request.headers.get("user-agent", ""),
        )
        _log_access(request, "notification_access", notification=item.pk, expedient=item.expedient.reference)
        return redirect("carpeta:notification", pk=item.pk)
    if item.is_notified:
        _log_access(request, "notification_read", notification=item.pk, expedient=item.expedient.reference)
    context = {
        "item": item,
        "title": selectors.procedure_title(item.expedient.procedure_code),
        "answer_url": selectors.answer_url(reference=item.expedient.reference),
        "correction_pending": item.correction is not None and item.correction.state == "pending",
    }
    return render(request, "carpeta/notification.html", context)


@never_cache
@login_required
def notification_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The notified document, once the notification has taken effect (accessed or rejected)."""
    item = notification_for(user=request.user, pk=pk)
    if item is None or not item.is_notified:
        raise Http404
    source = item.issued_document or item.expedient_document
    if source is None:
        raise Http404
    _log_access(request, "notification_document", notification=item.pk, expedient=item.expedient.reference)
    return _file(source.file, file_name=source.file_name, content_type=source.content_type)


@never_cache
@login_required
def representations(request: HttpRequest) -> HttpResponse:
    """Les meves representacions: those the user holds and those given for them."""
    items = list(representations_of(user=request.user))
    held = [item for item in items if item.representative_id == request.user.pk]
    given = [item for item in items if item.representative_id != request.user.pk]
    _log_access(request, "representations")
    context = {
        "held": held,
        "given": given,
        "live_states": LIVE_STATES,
        "request_url": reverse("wizards:start", kwargs={"code": "GEN-REPRESENTACIO"}),
    }
    return render(request, "carpeta/representations.html", context)


@never_cache
@login_required
@require_POST
def representation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = representations_of(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        representation_revoke(representation=item, actor=request.user)
    except RepresentationError:
        messages.error(request, _("Aquesta representació ja no es pot revocar."))
    else:
        _log_access(request, "representation_revoke", representation=item.pk)
        messages.success(request, _("S'ha revocat la representació."))
    return redirect("carpeta:representations")
