from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarpetaConfig(AppConfig):
    name = "tramits.carpeta"
    label = "carpeta"
    verbose_name = _("La meva carpeta")
