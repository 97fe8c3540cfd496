from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """An organisational unit of the city with its national DIR3 code; staff belong to some."""

    code = models.SlugField(_("codi intern"), max_length=30, unique=True)
    dir3 = models.CharField(
        _("codi DIR3"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{9}$", _("Un codi DIR3 té 9 lletres majúscules o xifres."))],
        help_text=_("Per exemple LA0019781."),
    )
    name_ca = models.CharField(_("nom (català)"), max_length=150)
    name_es = models.CharField(_("nom (castellà)"), max_length=150)
    name_en = models.CharField(_("nom (anglès)"), max_length=150, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("personal")
    )

    class Meta:
        ordering = ["name_ca"]
        verbose_name = _("departament")
        verbose_name_plural = _("departaments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "ca")[:2]
        return {"es": self.name_es, "en": self.name_en or self.name_es}.get(language, self.name_ca)
