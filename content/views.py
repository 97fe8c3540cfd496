"""Views of the public site that are not pages: short links and search."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from content.models import TramitPage
from content.search import search_pages
from tramits.catalogue.procedures import get_procedure

MAX_QUERY_LENGTH = 200


@require_GET
def tramit_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """`/tramit/<CODI>`: the guide of a procedure in the visitor's language (a public contract)."""
    procedure = get_procedure(code)
    if procedure is None:
        raise Http404("Unknown procedure code")
    language = translation.get_language_from_request(request)
    pages = TramitPage.objects.live().filter(code=procedure.code).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages}
    page = by_language.get(language) or by_language.get("ca") or next(iter(by_language.values()), None)
    if page is None:
        raise Http404("No published guide for this procedure")
    response = redirect(page.get_url(request))
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_GET
@cache_control(public=True, max_age=60)
def search(request: HttpRequest) -> HttpResponse:
    """Site search: procedure guides first, then the rest of the pages."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    locale = Locale.get_active()
    results = search_pages(query, locale=locale) if query else []
    page_obj = Paginator(results, 20).get_page(request.GET.get("pagina"))
    return render(request, "content/search.html", {"query": query, "page_obj": page_obj})
