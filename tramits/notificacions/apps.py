"""Notifications (art. 41-43 Llei 39/2015): made available in the carpeta, with access evidence."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificacionsConfig(AppConfig):
    name = "tramits.notificacions"
    label = "notificacions"
    verbose_name = _("Notificacions")
    default_auto_field = "django.db.models.BigAutoField"
