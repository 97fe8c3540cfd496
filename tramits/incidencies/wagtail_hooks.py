"""Technical incidents in the Wagtail admin: staff write the deadline extension and add incidents by hand."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from tramits.incidencies.forms import TechnicalIncidentForm
from tramits.incidencies.models import TechnicalIncident


class TechnicalIncidentViewSet(ModelViewSet):
    model = TechnicalIncident
    icon = "warning"
    menu_label = _("Incidències tècniques")
    add_to_admin_menu = True
    menu_order = 820
    list_display = ["__str__", "ended_at", "submissions_affected", "published"]
    list_filter = ["kind", "published"]
    ordering = ["-started_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("started_at"), FieldPanel("ended_at")]),
            FieldPanel("submissions_affected"),
            FieldPanel("description"),
            FieldPanel("description_es"),
            FieldPanel("description_en"),
            FieldPanel("deadline_extension"),
            FieldPanel("deadline_extension_es"),
            FieldPanel("deadline_extension_en"),
            FieldPanel("published"),
        ],
        base_form_class=TechnicalIncidentForm,
    )


@hooks.register("register_admin_viewset")
def register_technical_incidents():
    # Not named "incidencies": that is the namespace of the public page.
    return TechnicalIncidentViewSet("incidencies_tecniques")
