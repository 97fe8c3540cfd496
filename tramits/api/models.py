from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceAccount(models.Model):
    """An account of an internal system (the wizards, another municipal application) that calls the API with a token.

    A service account sees every entry and expedient and acts as the system itself; it may also
    act for a person with the `X-On-Behalf-Of` header, who then brings their own permissions.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("usuari"), on_delete=models.CASCADE, related_name="api_service"
    )
    name = models.CharField(_("sistema"), max_length=100)
    created_at = models.DateTimeField(_("creat"), default=timezone.now)

    class Meta:
        verbose_name = _("compte de servei de l'API")
        verbose_name_plural = _("comptes de servei de l'API")

    def __str__(self) -> str:
        return self.name


class IdempotentRequest(models.Model):
    """A creation request claimed under its `Idempotency-Key`: what was asked, and the answer to repeat.

    The claim is written before the filing, so a second request with the same key and another body
    is refused (409) without touching the register; a repeat of the same body gets the same answer.
    """

    scope = models.CharField(_("àmbit"), max_length=30, help_text=_("Els sistemes interns comparteixen «svc»."))
    key = models.CharField(_("clau"), max_length=100)
    fingerprint = models.CharField(_("empremta de la petició"), max_length=64)
    created_at = models.DateTimeField(_("rebuda"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("codi de resposta"), null=True, blank=True)
    response = models.JSONField(_("resposta"), null=True, blank=True)
    entry = models.ForeignKey(
        "registre.RegisterEntry",
        verbose_name=_("assentament"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("petició idempotent")
        verbose_name_plural = _("peticions idempotents")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="api_idempotent_request_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
