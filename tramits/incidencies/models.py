"""Technical incidents that prevented filing, published in the seu (Llei 39/2015 art. 32.4)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    REGISTER_UNREACHABLE = "register_unreachable", _("Registre electrònic no disponible")
    OTHER = "other", _("Altra incidència")


# Kinds the services open and close by themselves; staff add the other ones by hand.
AUTOMATIC_KINDS = frozenset({IncidentKind.REGISTER_UNREACHABLE})

DEFAULT_DESCRIPTIONS = {
    IncidentKind.REGISTER_UNREACHABLE: _(
        "El registre electrònic no responia. Les sol·licituds presentades es van desar i es registren "
        "automàticament quan el servei torna a funcionar."
    ),
}


class TechnicalIncident(models.Model):
    """A period when a technical problem prevented filing; its start is the first failure, its end the first success."""

    started_at = models.DateTimeField(_("inici"), default=timezone.now)
    ended_at = models.DateTimeField(_("final"), null=True, blank=True, help_text=_("En blanc mentre dura."))
    kind = models.CharField(_("tipus"), max_length=30, choices=IncidentKind.choices, default=IncidentKind.OTHER)
    description = models.TextField(
        _("què ha passat (català)"),
        blank=True,
        help_text=_("En paraules planeres. En blanc, es publica el text habitual d'aquest tipus d'incidència."),
    )
    description_es = models.TextField(_("què ha passat (castellà)"), blank=True)
    description_en = models.TextField(_("què ha passat (anglès)"), blank=True)
    submissions_affected = models.PositiveIntegerField(_("sol·licituds afectades"), default=0)
    deadline_extension = models.TextField(
        _("ampliació de terminis (català)"),
        blank=True,
        help_text=_("Per exemple: Es prorroguen fins al 3 de desembre els terminis que vencien el dia 2."),
    )
    deadline_extension_es = models.TextField(_("ampliació de terminis (castellà)"), blank=True)
    deadline_extension_en = models.TextField(_("ampliació de terminis (anglès)"), blank=True)
    published = models.BooleanField(_("publicada"), default=True)
    submissions = models.ManyToManyField(
        "submissions.Submission",
        through="AffectedSubmission",
        related_name="technical_incidents",
        blank=True,
        verbose_name=_("sol·licituds afectades"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualitzada"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("incidència tècnica")
        verbose_name_plural = _("incidències tècniques")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(ended_at__isnull=True) & ~Q(kind=IncidentKind.OTHER),
                name="incidencies_one_open_automatic_per_kind",
                violation_error_message=_("Ja hi ha una incidència oberta d'aquest tipus. Editeu aquella."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="incidencies_ends_after_it_starts",
                violation_error_message=_("El final no pot ser anterior a l'inici."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    @property
    def is_automatic(self) -> bool:
        return self.kind in AUTOMATIC_KINDS

    @property
    def public_description(self) -> str:
        """What happened, in the current language (English falls back to Spanish, then Catalan), else the usual text."""
        text = _in_language(ca=self.description, es=self.description_es, en=self.description_en)
        return text or str(DEFAULT_DESCRIPTIONS.get(self.kind, ""))

    @property
    def public_deadline_extension(self) -> str:
        return _in_language(ca=self.deadline_extension, es=self.deadline_extension_es, en=self.deadline_extension_en)


def _in_language(*, ca: str, es: str, en: str) -> str:
    language = (get_language() or "ca")[:2]
    return {"es": es, "en": en or es}.get(language) or ca


class AffectedSubmission(models.Model):
    """A submission that an incident kept from being registered; its unique pair counts it only once."""

    incident = models.ForeignKey(TechnicalIncident, on_delete=models.CASCADE, related_name="affected")
    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField(_("comptada"), default=timezone.now)

    class Meta:
        verbose_name = _("sol·licitud afectada")
        verbose_name_plural = _("sol·licituds afectades")
        constraints = [
            models.UniqueConstraint(fields=["incident", "submission"], name="incidencies_submission_counted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.submission_id}"
