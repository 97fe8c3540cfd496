import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType
from tramits.documents.storage import private_storage


class Register(models.TextChoices):
    INCOMING = "E", _("Registre d'entrada")
    OUTGOING = "S", _("Registre de sortida")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electrònic (seu)")
    IN_PERSON = "in_person", _("Presencial (OAC)")


class IdentificationMethod(models.TextChoices):
    PASSWORD = "password", _("Compte de la seu amb contrasenya")
    OIDC_VALID = "oidc_valid", _("idCAT / VÀLid")
    OIDC_CLAVE = "oidc_clave", _("Cl@ve")
    IN_PERSON_ID = "in_person_id", _("Presencialment, amb el document d'identitat original")
    REPRESENTED = "represented", _("Per mitjà del representant")
    ADMINISTRATION = "administration", _("Actuació de l'Administració")


class AttachmentKind(models.TextChoices):
    """What an attachment of an entry is: the application itself (data and readable copy) or a document."""

    APPLICATION_DATA = "application_data", _("Sol·licitud (dades estructurades)")
    APPLICATION_FORM = "application_form", _("Sol·licitud (còpia llegible)")
    DOCUMENT = "document", _("Document aportat")


class AppendOnlyError(Exception):
    """Register entries and their attachments are never changed or deleted once written."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} {self.pk} cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} {self.pk} cannot be deleted")


class RegisterCounter(models.Model):
    """The next number of one register in one year; locked while an entry takes it."""

    register = models.CharField(_("registre"), max_length=1, choices=Register.choices)
    year = models.PositiveSmallIntegerField(_("any"))
    next_number = models.PositiveIntegerField(_("número següent"), default=1)

    class Meta:
        verbose_name = _("comptador de registre")
        verbose_name_plural = _("comptadors de registre")
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="registre_counter_unique"),
            models.CheckConstraint(condition=models.Q(next_number__gte=1), name="registre_counter_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.register}-{self.year}: {self.next_number}"


class RegisterEntry(AppendOnlyModel):
    """One entry (assentament) of the incoming or outgoing register: numbered, timestamped, chained."""

    register = models.CharField(_("registre"), max_length=1, choices=Register.choices)
    year = models.PositiveSmallIntegerField(_("any"))
    number = models.PositiveIntegerField(_("número"))
    reference = models.CharField(_("número de registre"), max_length=20, unique=True)
    registered_at = models.DateTimeField(_("data i hora oficials"))
    effective_at = models.DateTimeField(_("data d'efectes"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("idioma"), max_length=5, default="ca")

    applicant_name = models.CharField(_("nom de l'interessat"), max_length=200)
    applicant_document_type = models.CharField(
        _("tipus de document de l'interessat"), max_length=10, choices=DocumentType.choices
    )
    applicant_document_number = models.CharField(_("document de l'interessat"), max_length=20)
    applicant_identified_by = models.CharField(
        _("identificació de l'interessat"), max_length=15, choices=IdentificationMethod.choices
    )
    representative_name = models.CharField(_("nom del representant"), max_length=200, blank=True)
    representative_document_type = models.CharField(
        _("tipus de document del representant"), max_length=10, choices=DocumentType.choices, blank=True
    )
    representative_document_number = models.CharField(_("document del representant"), max_length=20, blank=True)
    representative_identified_by = models.CharField(
        _("identificació del representant"), max_length=15, choices=IdentificationMethod.choices, blank=True
    )

    subject = models.CharField(_("assumpte"), max_length=500)
    procedure_code = models.CharField(_("codi del tràmit"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("unitat"),
        help_text=_("La unitat de destinació a l'entrada; la d'origen a la sortida."),
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    unit_dir3 = models.CharField(_("codi DIR3 de la unitat"), max_length=9)
    unit_name = models.CharField(_("nom de la unitat"), max_length=150)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presentat per"),
        on_delete=models.PROTECT,
        related_name="register_entries",
        null=True,
        blank=True,
    )
    idempotency_key = models.CharField(_("clau d'idempotència"), max_length=100, null=True, blank=True)
    receipt_csv = models.CharField(
        _("CSV del justificant"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Reservat en registrar l'entrada; el justificant en PDF es genera després amb aquest codi."),
    )
    received_at = models.DateTimeField(
        _("rebuda per la seu"),
        null=True,
        blank=True,
        help_text=_("Quan la seu va rebre la sol·licitud, si es va registrar més tard (per una incidència)."),
    )
    previous_hash = models.CharField(_("empremta anterior"), max_length=64)
    entry_hash = models.CharField(_("empremta"), max_length=64)

    class Meta:
        ordering = ["register", "year", "number"]
        verbose_name = _("assentament de registre")
        verbose_name_plural = _("assentaments de registre")
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="registre_entry_number_unique"),
            models.UniqueConstraint(
                fields=["register", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="registre_entry_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="registre_entry_number_positive"),
            models.CheckConstraint(condition=models.Q(register__in=["E", "S"]), name="registre_entry_register_valid"),
        ]
        indexes = [models.Index(fields=["registered_at"], name="registre_entry_registered_at")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_effective_later(self) -> bool:
        return self.effective_at != self.registered_at

    @property
    def has_representative(self) -> bool:
        return bool(self.representative_name)


def attachment_path(instance: "RegisterAttachment", filename: str) -> str:
    return f"registre/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class RegisterAttachment(AppendOnlyModel):
    """A document filed with an entry; its SHA-256 is part of the entry's chained hash."""

    entry = models.ForeignKey(
        RegisterEntry, verbose_name=_("assentament"), on_delete=models.PROTECT, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("què és"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.DOCUMENT)
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveBigIntegerField(_("mida (bytes)"))
    content_type = models.CharField(_("tipus de contingut"), max_length=100)
    sha256 = models.CharField(_("empremta SHA-256"), max_length=64)
    file = models.FileField(_("fitxer"), storage=private_storage, upload_to=attachment_path, max_length=255)

    class Meta:
        ordering = ["entry", "position"]
        verbose_name = _("document annex")
        verbose_name_plural = _("documents annexos")
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="registre_attachment_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name
