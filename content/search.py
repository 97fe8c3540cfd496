"""Site search over the live pages of one language, procedure guides ranked first.

Guides are ranked by the finder's engine (synonyms, typos, three languages); any other guide
and the rest of the pages come from Wagtail's database backend, which is PostgreSQL full-text
search in production and SQLite's full-text index in the embedded mode.
"""

from wagtail.models import Locale, Page

from content.models import TramitPage
from tramits.finder.selectors import procedure_search


def search_pages(query: str, *, locale: Locale, limit: int = 100) -> list[Page]:
    hits = procedure_search(query=query, language=locale.language_code)
    guides = TramitPage.objects.live().public().filter(locale=locale)
    by_code = {page.code: page for page in guides.filter(code__in=[hit.code for hit in hits])}
    ranked = [by_code[hit.code] for hit in hits if hit.code in by_code]
    seen = {page.pk for page in ranked}
    ranked += [page for page in guides.search(query)[:limit] if page.pk not in seen]
    seen = {page.pk for page in ranked}
    others = [
        page
        for page in Page.objects.live()
        .public()
        .filter(locale=locale)
        .not_type(TramitPage)
        .specific()
        .search(query)[:limit]
        if page.pk not in seen and page.depth > 2
    ]
    return [*ranked, *others][:limit]
