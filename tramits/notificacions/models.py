import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Art. 43.2: unopened ten calendar days after it was made available, a notification counts as rejected.
REJECTION_AFTER = dt.timedelta(days=10)


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Pendent d'obrir")
    ACCESSED = "accessed", _("Accedida")
    REJECTED = "rejected", _("Rebutjada per no obrir-la")


class NotificationKind(models.TextChoices):
    CORRECTION = "correction", _("Requeriment d'esmena")
    RESOLUTION = "resolution", _("Resolució")
    OTHER = "other", _("Altres")


class NotificationChannel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electrònica (a la carpeta)")
    PAPER = "paper", _("En paper")


class Notification(models.Model):
    """A formal notice of an expedient to an interessat; every step of it is evidence on the expedient."""

    expedient = models.ForeignKey(
        "expedients.Expedient", verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("tipus"), max_length=15, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    channel = models.CharField(_("canal"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatari"),
        help_text=_("Buit quan l'interessat no té compte a la seu: llavors es notifica en paper."),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    interested_party = models.ForeignKey(
        "expedients.InterestedParty",
        verbose_name=_("interessat"),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    language = models.CharField(_("idioma"), max_length=5, default="ca")
    subject = models.CharField(_("assumpte"), max_length=250)
    body = models.TextField(_("contingut"), blank=True)
    correction = models.ForeignKey(
        "expedients.CorrectionRequest",
        verbose_name=_("requeriment d'esmena"),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    expedient_document = models.ForeignKey(
        "expedients.ExpedientDocument",
        verbose_name=_("document notificat"),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    issued_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("document emès notificat"),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("estat"), max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    made_available_at = models.DateTimeField(_("posada a disposició"))
    accessed_at = models.DateTimeField(_("accedida"), null=True, blank=True)
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accedida per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    access_ip_hash = models.CharField(
        _("empremta de l'adreça IP"), max_length=64, blank=True, help_text=_("HMAC-SHA-256, mai l'adreça en clar.")
    )
    access_user_agent = models.CharField(_("navegador"), max_length=200, blank=True)
    rejected_at = models.DateTimeField(_("rebutjada"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("avís per correu enviat"), null=True, blank=True)

    class Meta:
        ordering = ["-made_available_at", "-pk"]
        verbose_name = _("notificació")
        verbose_name_plural = _("notificacions")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=NotificationState.values), name="notificacions_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notificacions_kind_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=NotificationChannel.values), name="notificacions_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel="paper") | Q(recipient__isnull=False), name="notificacions_electronic_recipient"
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="pending", accessed_at__isnull=True, rejected_at__isnull=True)
                    | Q(state="accessed", accessed_at__isnull=False, rejected_at__isnull=True)
                    | Q(state="rejected", accessed_at__isnull=True, rejected_at__isnull=False)
                ),
                name="notificacions_state_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "state", "made_available_at"], name="notificacions_due"),
            models.Index(fields=["expedient", "made_available_at"], name="notificacions_expedient"),
        ]

    def __str__(self) -> str:
        return f"{self.expedient_id} {self.get_kind_display()} {self.made_available_at:%Y-%m-%d}"

    @property
    def rejection_at(self) -> dt.datetime:
        """The instant it counts as rejected if still unopened (art. 43.2)."""
        return self.made_available_at + REJECTION_AFTER

    @property
    def is_pending(self) -> bool:
        return self.state == NotificationState.PENDING

    @property
    def is_notified(self) -> bool:
        """Accessed or rejected: either way the notification has taken effect."""
        return self.state in (NotificationState.ACCESSED, NotificationState.REJECTED)
