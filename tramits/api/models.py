from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Operation(models.TextChoices):
    """What a service account may do with the API; its scope lists some of these."""

    FILE = "file", _("Presentar sol·licituds al registre d'entrada")
    READ = "read", _("Consultar assentaments, expedients i encàrrecs")
    ACT = "act", _("Tramitar expedients: estats, documents, resolució i encàrrecs")


def least_privilege_operations() -> list[str]:
    return [Operation.READ.value]


class ServiceAccount(models.Model):
    """An account of an internal system (the wizards, another municipal application) that calls the API with a token.

    A service account sees every entry and expedient and acts as the system itself, within its
    scope: the operations it may use and the procedures it may file. It may also act for a person
    with the `X-On-Behalf-Of` header, who then brings their own permissions (the scope still applies).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("usuari"), on_delete=models.CASCADE, related_name="api_service"
    )
    name = models.CharField(_("sistema"), max_length=100)
    created_at = models.DateTimeField(_("creat"), default=timezone.now)
    operations = models.JSONField(
        _("operacions permeses"), default=least_privilege_operations, blank=True, help_text=_("file, read, act.")
    )
    procedure_codes = models.JSONField(
        _("tràmits que pot presentar"), default=list, blank=True, help_text=_("Codis del catàleg, p. ex. PADRO-ALTA.")
    )
    all_procedures = models.BooleanField(_("pot presentar tots els tràmits"), default=False)

    class Meta:
        verbose_name = _("compte de servei de l'API")
        verbose_name_plural = _("comptes de servei de l'API")

    def __str__(self) -> str:
        return self.name

    def allows(self, operation: str) -> bool:
        return operation in (self.operations or [])

    def files(self, procedure_code: str) -> bool:
        return self.all_procedures or (procedure_code or "").upper() in (self.procedure_codes or [])


class ServiceToken(models.Model):
    """A token of a service account, kept as the SHA-256 of the whole token: the plain token is shown once.

    The first characters of the token (`prefix`) are kept in clear to find the row; the digest is
    then compared in constant time. A plain hash suffices (no salt, no slow hash) because a token is
    random with far more entropy than a password; and it does not depend on SECRET_KEY, so
    rotating that key does not lock the systems out.
    """

    account = models.ForeignKey(
        ServiceAccount, verbose_name=_("compte de servei"), on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(_("resum SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("creat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("darrer ús"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocat"), null=True, blank=True)

    class Meta:
        verbose_name = _("testimoni de l'API")
        verbose_name_plural = _("testimonis de l'API")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """A creation request claimed under its `Idempotency-Key`: what was asked, and the answer to repeat.

    The claim is written before the filing, so a second request with the same key and another body
    is refused (409) without touching the register; a repeat of the same body gets the same answer.
    """

    scope = models.CharField(
        _("àmbit"), max_length=30, help_text=_("«svc<id>» per a cada sistema intern, «u<id>» per a cada persona.")
    )
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
