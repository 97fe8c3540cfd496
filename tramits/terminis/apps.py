from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerminisConfig(AppConfig):
    name = "tramits.terminis"
    label = "terminis"
    verbose_name = _("Terminis i calendari")
