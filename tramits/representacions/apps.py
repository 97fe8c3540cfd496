"""Representation: a citizen acting for another person once a GEN-REPRESENTACIO is accepted."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentacionsConfig(AppConfig):
    name = "tramits.representacions"
    label = "representacions"
    verbose_name = _("Representacions")
    default_auto_field = "django.db.models.BigAutoField"
