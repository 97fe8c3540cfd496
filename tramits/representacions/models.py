from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType

REPRESENTATION_PROCEDURE = "GEN-REPRESENTACIO"


class RepresentationState(models.TextChoices):
    REQUESTED = "requested", _("Sol·licitada")
    ACCEPTED = "accepted", _("Acceptada")
    REJECTED = "rejected", _("Rebutjada")
    REVOKED = "revoked", _("Revocada")


class RepresentationScope(models.TextChoices):
    ALL = "all", _("Tots els tràmits")
    PROCEDURES = "procedures", _("Només uns tràmits")


# A person can have one live representation (requested or accepted) per representative.
LIVE_STATES = (RepresentationState.REQUESTED.value, RepresentationState.ACCEPTED.value)


class Representation(models.Model):
    """The right of a representative to act for another person, for every procedure or for some."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representant"),
        on_delete=models.PROTECT,
        related_name="representations_held",
    )
    represented_name = models.CharField(_("nom i cognoms de la persona representada"), max_length=200)
    represented_document_type = models.CharField(
        _("tipus de document de la persona representada"), max_length=10, choices=DocumentType.choices
    )
    represented_document_number = models.CharField(_("document de la persona representada"), max_length=20)
    represented_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte de la persona representada"),
        on_delete=models.PROTECT,
        related_name="representations_given",
        null=True,
        blank=True,
    )
    scope = models.CharField(_("abast"), max_length=12, choices=RepresentationScope.choices)
    procedure_codes = models.JSONField(
        _("codis dels tràmits"), default=list, blank=True, help_text=_("Només quan l'abast és d'uns tràmits.")
    )
    valid_from = models.DateField(_("vàlida des de"))
    valid_until = models.DateField(_("vàlida fins a"), null=True, blank=True)
    state = models.CharField(
        _("estat"), max_length=10, choices=RepresentationState.choices, default=RepresentationState.REQUESTED
    )
    expedient = models.ForeignKey(
        "expedients.Expedient",
        verbose_name=_("expedient de la sol·licitud (GEN-REPRESENTACIO)"),
        on_delete=models.PROTECT,
        related_name="representations",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(_("sol·licitada"), default=timezone.now)
    decided_at = models.DateTimeField(_("resolta"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolta per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decision_reason = models.TextField(_("motiu"), blank=True)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocada per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("representació")
        verbose_name_plural = _("representacions")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RepresentationState.values), name="representacions_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=RepresentationScope.values), name="representacions_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="representacions_valid_range",
            ),
            models.UniqueConstraint(
                fields=["representative", "represented_document_number"],
                condition=Q(state__in=LIVE_STATES),
                name="representacions_one_live_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["representative", "state"], name="representacions_of_user"),
            models.Index(fields=["represented_document_number"], name="representacions_represented"),
        ]

    def __str__(self) -> str:
        return f"{self.represented_name} ({self.get_state_display()})"

    def covers(self, procedure_code: str) -> bool:
        """Whether it lets the representative act in this procedure (codes compared without case, as typed)."""
        if self.scope == RepresentationScope.ALL:
            return True
        return (procedure_code or "").upper() in {code.upper() for code in self.procedure_codes or []}
