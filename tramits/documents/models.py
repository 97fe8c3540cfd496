import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.documents.codes import csv_display
from tramits.documents.storage import private_storage


class DocumentType(models.TextChoices):
    """Document types of the Spanish interoperability standard (NTI de documento electrónico)."""

    RESOLUTION = "TD01", _("Resolució")
    AGREEMENT = "TD02", _("Acord")
    COMMUNICATION = "TD06", _("Comunicació")
    NOTIFICATION = "TD07", _("Notificació")
    ACKNOWLEDGEMENT = "TD09", _("Justificant de recepció")
    CERTIFICATE = "TD11", _("Certificat")
    REPORT = "TD13", _("Informe")
    APPLICATION = "TD14", _("Sol·licitud")
    OTHER = "TD99", _("Altres")


class Origin(models.TextChoices):
    CITIZEN = "citizen", _("Ciutadà")
    ADMINISTRATION = "administration", _("Administració")


class ProductionState(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Còpia autèntica")


def issued_document_path(instance: "IssuedDocument", filename: str) -> str:
    return f"documents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class IssuedDocument(models.Model):
    """A document the city issues, verifiable by anyone with its CSV code."""

    csv = models.CharField(_("codi segur de verificació"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("títol"), max_length=250)
    document_type = models.CharField(_("tipus documental"), max_length=4, choices=DocumentType.choices)
    file = models.FileField(_("fitxer"), storage=private_storage, upload_to=issued_document_path, max_length=255)
    file_name = models.CharField(_("nom del fitxer"), max_length=150)
    sha256 = models.CharField(_("empremta SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("mida (bytes)"))
    content_type = models.CharField(_("tipus de contingut"), max_length=100)
    language = models.CharField(_("idioma"), max_length=5, default="ca")
    created_at = models.DateTimeField(_("creat"), default=timezone.now)
    register_entry = models.ForeignKey(
        "registre.RegisterEntry",
        verbose_name=_("assentament de registre"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
        null=True,
        blank=True,
    )
    nti_identifier = models.CharField(_("identificador ENI"), max_length=52, unique=True)
    organ = models.CharField(_("òrgan (DIR3)"), max_length=21)
    captured_at = models.DateTimeField(_("data de captura"))
    origin = models.CharField(_("origen"), max_length=15, choices=Origin.choices)
    state = models.CharField(_("estat d'elaboració"), max_length=10, choices=ProductionState.choices)
    file_format = models.CharField(_("format"), max_length=10)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document emès")
        verbose_name_plural = _("documents emesos")
        constraints = [
            models.UniqueConstraint(
                fields=["register_entry"],
                condition=models.Q(document_type="TD09"),
                name="documents_one_receipt_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.csv_display})"

    @property
    def csv_display(self) -> str:
        return csv_display(self.csv)
