import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.documents.storage import private_storage
from tramits.registre.models import AttachmentKind


class Status(models.TextChoices):
    RECEIVED = "received", _("Rebuda, pendent de registre")
    REGISTERING = "registering", _("S'està registrant")
    REGISTERED = "registered", _("Registrada")
    FAILED_PERMANENTLY = "failed_permanently", _("No s'ha pogut registrar")


def submission_reference() -> str:
    """A short public reference the citizen can quote before the register number exists."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "SOL-" + "".join(secrets.choice(alphabet) for _ in range(10))


class Submission(models.Model):
    """An application filed through a wizard, and its registration outbox.

    Stored by the final POST before anything remote happens. `status`, `attempts`,
    `next_attempt_at` and `last_error` make it the outbox row: the registration is retried until
    the internal API answers, and the same `idempotency_key` makes the API return the same entry.
    """

    reference = models.CharField(_("referència"), max_length=20, unique=True, default=submission_reference)
    procedure_code = models.CharField(_("codi del tràmit"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuari"), on_delete=models.PROTECT, related_name="submissions"
    )
    language = models.CharField(_("idioma"), max_length=5, default="ca")
    subject = models.CharField(_("assumpte"), max_length=500)
    answers = models.JSONField(_("respostes"), default=dict)
    application = models.JSONField(
        _("sol·licitud"),
        default=dict,
        blank=True,
        help_text=_("El document estructurat de la sol·licitud (pas, camp, etiqueta, valor), com es registra."),
    )
    applicant = models.JSONField(_("persona sol·licitant"), default=dict)
    extra = models.JSONField(_("dades per al registre"), default=dict, blank=True)
    idempotency_key = models.CharField(_("clau d'idempotència"), max_length=80, unique=True)
    status = models.CharField(_("estat"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveIntegerField(_("intents de registre"), default=0)
    next_attempt_at = models.DateTimeField(_("proper intent"), null=True, blank=True)
    attempt_started_at = models.DateTimeField(_("inici de l'últim intent"), null=True, blank=True)
    last_error = models.CharField(_("últim error"), max_length=500, blank=True)
    register_number = models.CharField(_("número de registre"), max_length=40, blank=True)
    expedient_number = models.CharField(_("número d'expedient"), max_length=40, blank=True)
    receipt_csv = models.CharField(_("CSV del justificant"), max_length=40, blank=True)
    receipt_url = models.CharField(_("adreça del justificant"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("registrada"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("avís enviat"), null=True, blank=True)
    created_at = models.DateTimeField(_("rebuda"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualitzada"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sol·licitud")
        verbose_name_plural = _("sol·licituds")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="submissions_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="registered") | ~Q(register_number=""),
                name="submissions_registered_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="submissions_outbox"),
            models.Index(fields=["user", "-created_at"], name="submissions_user_recent"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_registered(self) -> bool:
        return self.status == Status.REGISTERED

    @property
    def is_pending(self) -> bool:
        return self.status in {Status.RECEIVED, Status.REGISTERING}


class SubmissionFile(models.Model):
    """A document of a submission, in private storage under a generated name."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("sol·licitud"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("mena"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.DOCUMENT)
    step = models.CharField(_("pas"), max_length=40)
    field = models.CharField(_("camp"), max_length=40)
    label = models.CharField(_("què és"), max_length=300)
    file = models.FileField(_("fitxer"), storage=private_storage, max_length=255)
    name = models.CharField(_("nom del fitxer"), max_length=160)
    content_type = models.CharField(_("tipus de contingut"), max_length=100)
    size = models.PositiveBigIntegerField(_("mida (bytes)"))
    sha256 = models.CharField(_("empremta SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("document de la sol·licitud")
        verbose_name_plural = _("documents de la sol·licitud")
        constraints = [
            models.UniqueConstraint(fields=["submission", "step", "field"], name="submissions_one_file_per_field"),
        ]

    def __str__(self) -> str:
        return self.name
