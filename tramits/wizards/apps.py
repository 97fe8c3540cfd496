from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizardsConfig(AppConfig):
    name = "tramits.wizards"
    label = "wizards"
    verbose_name = _("Formularis guiats")
