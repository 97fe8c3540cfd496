"""The public list of technical incidents that prevented filing (Llei 39/2015 art. 32.4)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tramits.incidencies.selectors import incidents_published

PER_PAGE = 50


@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(incidents_published(), PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "incidencies/incident_list.html", {"page_obj": page_obj, "incidents": page_obj})
