from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidenciesConfig(AppConfig):
    name = "tramits.incidencies"
    label = "incidencies"
    verbose_name = _("Incidències tècniques")
