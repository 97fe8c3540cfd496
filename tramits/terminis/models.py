from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayScope(models.TextChoices):
    NATIONAL = "national", _("Estatal")
    REGIONAL = "regional", _("Catalunya")
    LOCAL = "local", _("Local (Lleida)")


class Holiday(models.Model):
    """A non-business day of the one calendar used by terms (Llei 39/2015 art. 30.7)."""

    date = models.DateField(_("data"), unique=True)
    name = models.CharField(_("nom"), max_length=150)
    scope = models.CharField(_("àmbit"), max_length=10, choices=HolidayScope.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("dia festiu")
        verbose_name_plural = _("dies festius")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
