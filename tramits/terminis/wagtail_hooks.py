"""The holiday calendar in the Wagtail admin, so staff keep it up to date each year."""

import django_filters
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tramits.terminis.models import Holiday, HolidayScope


def holiday_years() -> list[tuple[int, int]]:
    years = Holiday.objects.annotate(year=ExtractYear("date")).values_list("year", flat=True).distinct()
    return [(year, year) for year in sorted(years, reverse=True)]


class HolidayFilterSet(WagtailFilterSet):
    year = django_filters.TypedChoiceFilter(
        label=_("any"), field_name="date", lookup_expr="year", choices=holiday_years, coerce=int
    )
    scope = django_filters.ChoiceFilter(label=_("àmbit"), choices=HolidayScope.choices)

    class Meta:
        model = Holiday
        fields = ["year", "scope"]


class HolidayViewSet(SnippetViewSet):
    model = Holiday
    icon = "date"
    menu_label = _("Dies festius")
    add_to_admin_menu = True
    menu_order = 800
    list_display = ["date", "name", "scope"]
    ordering = ["date"]
    filterset_class = HolidayFilterSet
    search_fields = ["name"]


register_snippet(HolidayViewSet)
