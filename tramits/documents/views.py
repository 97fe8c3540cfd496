"""The public verification page: anyone with a CSV code can see and fetch the original document."""

import hashlib

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tramits.documents.codes import MalformedCsv, csv_normalise
from tramits.documents.forms import VerificationForm
from tramits.documents.selectors import issued_document_get_by_csv

LOOKUP_LIMIT = 20
LOOKUP_WINDOW_SECONDS = 10 * 60


def lookup_allowed(request: HttpRequest) -> bool:
    """Count a lookup for the client's address; False once it has made too many in the window."""
    address = request.META.get("REMOTE_ADDR", "")
    key = "documents:csv-lookups:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=LOOKUP_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_WINDOW_SECONDS)
        count = 1
    return count <= LOOKUP_LIMIT


def _page(request: HttpRequest, *, form: VerificationForm, status: int = 200, **context) -> HttpResponse:
    response = render(request, "documents/verify.html", {"form": form, **context}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    form = VerificationForm(request.GET or None)
    raw = request.GET.get("csv", "")
    if not raw.strip():
        return _page(request, form=VerificationForm())
    if not lookup_allowed(request):
        return _page(request, form=form, status=429, rate_limited=True)
    form.is_valid()
    try:
        code = csv_normalise(raw)
    except MalformedCsv:
        form.add_error("csv", _("El codi no té el format d'un CSV: ha de tenir 20 lletres i xifres."))
        return _page(request, form=form, status=400)
    document = issued_document_get_by_csv(csv=code)
    if document is None:
        form.add_error("csv", _("No hi ha cap document amb aquest codi. Reviseu que l'hàgiu escrit bé."))
        return _page(request, form=form, status=404)
    return _page(request, form=VerificationForm(initial={"csv": document.csv_display}), document=document)


@require_GET
@never_cache
def download(request: HttpRequest, csv: str) -> HttpResponse:
    if not lookup_allowed(request):
        return _page(request, form=VerificationForm(), status=429, rate_limited=True)
    try:
        code = csv_normalise(csv)
    except MalformedCsv:
        raise Http404 from None
    document = issued_document_get_by_csv(csv=code)
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name, content_type=document.content_type
    )
    response["X-Robots-Tag"] = "noindex"
    return response
