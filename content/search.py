"""Site search over the live pages of one language, procedure guides ranked first."""

from wagtail.models import Locale, Page

from content.models import TramitPage


def search_pages(query: str, *, locale: Locale, limit: int = 100) -> list[Page]:
    tramits = list(TramitPage.objects.live().public().filter(locale=locale).search(query)[:limit])
    seen = {page.pk for page in tramits}
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
    return [*tramits, *others][:limit]
