"""Departments (with their DIR3 codes and staff) in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tramits.catalogue.models import Department


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departaments")
    add_to_admin_menu = True
    menu_order = 810
    list_display = ["name_ca", "dir3", "code"]
    search_fields = ["name_ca", "name_es", "dir3", "code"]
    panels = [
        FieldPanel("name_ca"),
        FieldPanel("name_es"),
        FieldPanel("name_en"),
        FieldPanel("code"),
        FieldPanel("dir3"),
        FieldPanel("members"),
    ]


register_snippet(DepartmentViewSet)
