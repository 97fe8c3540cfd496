from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tramits.api"
    label = "api"
    verbose_name = _("API interna")

    def ready(self) -> None:
        # Registers the OpenAPI extensions for our authentication and field classes.
        from tramits.api import schema  # noqa: F401
