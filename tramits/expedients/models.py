import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tramits.accounts.identity import DocumentType
from tramits.catalogue.procedures import TermUnit
from tramits.documents.models import Origin, ProductionState
from tramits.documents.storage import private_storage


class State(models.TextChoices):
    INITIATED = "iniciat", _("Iniciat")
    IN_PROGRESS = "en_tramitacio", _("En tramitació")
    PENDING_CORRECTION = "pendent_esmena", _("Pendent d'esmena")
    SUSPENDED = "suspes", _("Suspès")
    RESOLVED = "resolt", _("Resolt")
    ARCHIVED = "arxivat", _("Arxivat")


# The only state changes the services accept (from -> to).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    State.INITIATED: frozenset({State.IN_PROGRESS, State.PENDING_CORRECTION, State.SUSPENDED, State.RESOLVED}),
    State.IN_PROGRESS: frozenset({State.PENDING_CORRECTION, State.SUSPENDED, State.RESOLVED}),
    State.PENDING_CORRECTION: frozenset({State.IN_PROGRESS}),
    State.SUSPENDED: frozenset({State.IN_PROGRESS}),
    State.RESOLVED: frozenset({State.ARCHIVED}),
    State.ARCHIVED: frozenset(),
}

# States whose resolution term is running or waiting on the citizen: they can fall overdue.
# A plain suspension (suspès) stops the clock with no known end, so it is never overdue.
OPEN_STATES = (State.INITIATED.value, State.IN_PROGRESS.value, State.PENDING_CORRECTION.value)
CLOSED_STATES = (State.RESOLVED.value, State.ARCHIVED.value)


class ExpedientCounter(models.Model):
    """The next expedient number of one year; locked while an expedient takes it."""

    year = models.PositiveSmallIntegerField(_("any"), unique=True)
    next_number = models.PositiveIntegerField(_("número següent"), default=1)

    class Meta:
        verbose_name = _("comptador d'expedients")
        verbose_name_plural = _("comptadors d'expedients")
        constraints = [
            models.CheckConstraint(condition=Q(next_number__gte=1), name="expedients_counter_positive"),
        ]

    def __str__(self) -> str:
        return f"EXP-{self.year}: {self.next_number}"


class Expedient(models.Model):
    """The case file opened from a register entry, worked by its owner department until archived."""

    year = models.PositiveSmallIntegerField(_("any"))
    number = models.PositiveIntegerField(_("número"))
    reference = models.CharField(_("número d'expedient"), max_length=20, unique=True)
    procedure_code = models.CharField(_("codi del tràmit"), max_length=40)
    opening_entry = models.OneToOneField(
        "registre.RegisterEntry",
        verbose_name=_("assentament d'obertura"),
        on_delete=models.PROTECT,
        related_name="opened_expedient",
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("departament responsable"),
        on_delete=models.PROTECT,
        related_name="expedients",
    )
    subject = models.CharField(_("assumpte"), max_length=500)
    state = models.CharField(_("estat"), max_length=20, choices=State.choices, default=State.INITIATED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignat a"),
        on_delete=models.SET_NULL,
        related_name="assigned_expedients",
        null=True,
        blank=True,
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte que el presenta"),
        on_delete=models.PROTECT,
        related_name="filed_expedients",
        null=True,
        blank=True,
    )
    opened_at = models.DateTimeField(_("obert"))
    term_unit = models.CharField(_("unitat del termini"), max_length=15, choices=TermUnit.choices)
    term_value = models.PositiveSmallIntegerField(_("durada del termini"), default=0)
    term_start = models.DateField(_("inici del còmput"), help_text=_("La data d'efectes de l'assentament."))
    base_due_date = models.DateField(_("data màxima inicial"), null=True, blank=True)
    due_date = models.DateField(
        _("data màxima de resolució"),
        null=True,
        blank=True,
        help_text=_("La inicial més els dies de suspensió, traslladada al dia hàbil següent si cal."),
    )
    resolved_at = models.DateTimeField(_("resolt"), null=True, blank=True)
    resolution_entry = models.ForeignKey(
        "registre.RegisterEntry",
        verbose_name=_("assentament de sortida de la resolució"),
        on_delete=models.PROTECT,
        related_name="resolved_expedients",
        null=True,
        blank=True,
    )
    archived_at = models.DateTimeField(_("arxivat"), null=True, blank=True)
    search_text = models.CharField(
        _("text de cerca"), max_length=600, editable=False, help_text=_("Número, noms i documents, normalitzats.")
    )

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("expedient")
        verbose_name_plural = _("expedients")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="expedients_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="expedients_number_positive"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="expedients_state_valid"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(state__in=CLOSED_STATES),
                name="expedients_resolved_at_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "state", "due_date"], name="expedients_dept_state_due"),
            models.Index(fields=["state", "due_date"], name="expedients_state_due"),
            models.Index(fields=["department", "state", "opened_at"], name="expedients_dept_state_opened"),
            models.Index(fields=["procedure_code", "state"], name="expedients_procedure_state"),
            models.Index(fields=["search_text"], name="expedients_search_text"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES


class InterestedRole(models.TextChoices):
    APPLICANT = "applicant", _("Sol·licitant")
    REPRESENTATIVE = "representative", _("Representant")
    OTHER = "other", _("Altre interessat")


class InterestedParty(models.Model):
    """A person who is party to an expedient (interessat), optionally linked to their account."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="interested_parties"
    )
    name = models.CharField(_("nom i cognoms"), max_length=200)
    document_type = models.CharField(_("tipus de document"), max_length=10, choices=DocumentType.choices)
    document_number = models.CharField(_("número de document"), max_length=20)
    role = models.CharField(_("condició"), max_length=15, choices=InterestedRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.PROTECT,
        related_name="interested_in",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("afegit"), default=timezone.now)

    class Meta:
        ordering = ["expedient", "pk"]
        verbose_name = _("interessat")
        verbose_name_plural = _("interessats")
        constraints = [
            models.UniqueConstraint(
                fields=["expedient", "document_number", "role"], name="expedients_interested_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=InterestedRole.values), name="expedients_interested_role"),
        ]
        indexes = [models.Index(fields=["document_number"], name="expedients_interested_doc")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class CorrectionState(models.TextChoices):
    PENDING = "pending", _("Pendent")
    ANSWERED = "answered", _("Atès")
    EXPIRED = "expired", _("Vençut sense resposta")


class CorrectionRequest(models.Model):
    """A requeriment d'esmena: the citizen has 10 business days to answer; the term is suspended meanwhile."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="correction_requests"
    )
    description = models.TextField(_("què cal esmenar"))
    requested_at = models.DateTimeField(_("requerit"))
    requested_on = models.DateField(_("data del requeriment"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requerit per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deadline = models.DateField(_("termini per esmenar"))
    state = models.CharField(
        _("estat"), max_length=10, choices=CorrectionState.choices, default=CorrectionState.PENDING
    )
    answered_at = models.DateTimeField(_("resposta"), null=True, blank=True)
    answer_text = models.TextField(_("resposta"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respost per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["expedient", "requested_at"]
        verbose_name = _("requeriment d'esmena")
        verbose_name_plural = _("requeriments d'esmena")
        constraints = [
            models.UniqueConstraint(
                fields=["expedient"], condition=Q(state="pending"), name="expedients_one_pending_correction"
            ),
            models.CheckConstraint(condition=Q(state__in=CorrectionState.values), name="expedients_correction_state"),
            models.CheckConstraint(condition=Q(deadline__gte=F("requested_on")), name="expedients_correction_deadline"),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="expedients_correction_due")]

    def __str__(self) -> str:
        return f"{self.expedient} — {self.deadline:%d/%m/%Y}"


class Suspension(models.Model):
    """A pause of the resolution term (art. 22): the days from start to end are added to the due date."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="suspensions"
    )
    reason = models.CharField(_("motiu"), max_length=500)
    started_on = models.DateField(_("inici"))
    ended_on = models.DateField(_("final"), null=True, blank=True)
    correction = models.OneToOneField(
        CorrectionRequest,
        verbose_name=_("requeriment d'esmena"),
        on_delete=models.PROTECT,
        related_name="suspension",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["expedient", "started_on", "pk"]
        verbose_name = _("suspensió del termini")
        verbose_name_plural = _("suspensions del termini")
        constraints = [
            models.UniqueConstraint(
                fields=["expedient"], condition=Q(ended_on__isnull=True), name="expedients_one_open_suspension"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="expedients_suspension_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expedient}: {self.started_on} – {self.ended_on or '…'}"

    @property
    def days(self) -> int:
        """Calendar days suspended; an open suspension has not added any yet."""
        return (self.ended_on - self.started_on).days if self.ended_on else 0


class TaskKind(models.TextChoices):
    REPORT = "report", _("Informe")
    TASK = "task", _("Tasca")


class TaskState(models.TextChoices):
    PENDING = "pending", _("Pendent")
    DONE = "done", _("Feta")
    REJECTED = "rejected", _("Rebutjada")


class Task(models.Model):
    """A request from the owner department to another one for a report or a task on the same expedient."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="tasks"
    )
    from_department = models.ForeignKey(
        "catalogue.Department", verbose_name=_("de"), on_delete=models.PROTECT, related_name="tasks_requested"
    )
    to_department = models.ForeignKey(
        "catalogue.Department", verbose_name=_("a"), on_delete=models.PROTECT, related_name="tasks_received"
    )
    kind = models.CharField(_("tipus"), max_length=10, choices=TaskKind.choices)
    description = models.TextField(_("descripció"))
    requested_at = models.DateTimeField(_("demanada"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demanada per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    due_date = models.DateField(_("termini"))
    state = models.CharField(_("estat"), max_length=10, choices=TaskState.choices, default=TaskState.PENDING)
    answer = models.TextField(_("resposta"), blank=True)
    answered_at = models.DateTimeField(_("resposta"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resposta de"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["expedient", "requested_at", "pk"]
        verbose_name = _("encàrrec a un altre departament")
        verbose_name_plural = _("encàrrecs a altres departaments")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TaskKind.values), name="expedients_task_kind"),
            models.CheckConstraint(condition=Q(state__in=TaskState.values), name="expedients_task_state"),
            models.CheckConstraint(
                condition=~Q(from_department=F("to_department")), name="expedients_task_other_department"
            ),
        ]
        indexes = [models.Index(fields=["to_department", "state", "due_date"], name="expedients_task_inbox")]

    def __str__(self) -> str:
        return f"{self.expedient}: {self.get_kind_display()} → {self.to_department_id}"


class ExpedientDocumentType(models.TextChoices):
    APPLICATION = "sollicitud", _("Sol·licitud")
    REQUIREMENT = "requeriment", _("Requeriment")
    ALLEGATION = "allegacio", _("Al·legació")
    REPORT = "informe", _("Informe")
    RESOLUTION = "resolucio", _("Resolució")
    NOTIFICATION = "notificacio", _("Notificació")
    OTHER = "altres", _("Altres")


# The document types of the NTI (Norma Técnica de Interoperabilidad de Documento Electrónico).
NTI_DOCUMENT_TYPES = {
    ExpedientDocumentType.APPLICATION: "TD14",
    ExpedientDocumentType.REQUIREMENT: "TD06",
    ExpedientDocumentType.ALLEGATION: "TD16",
    ExpedientDocumentType.REPORT: "TD13",
    ExpedientDocumentType.RESOLUTION: "TD01",
    ExpedientDocumentType.NOTIFICATION: "TD07",
    ExpedientDocumentType.OTHER: "TD99",
}


def expedient_document_path(instance: "ExpedientDocument", filename: str) -> str:
    return f"expedients/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ExpedientDocument(models.Model):
    """A document of the expedient with its NTI metadata; the index (art. 70) lists them by sequence."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="documents"
    )
    sequence = models.PositiveIntegerField(_("ordre"))
    identifier = models.CharField(_("identificador ENI"), max_length=52, unique=True)
    title = models.CharField(_("títol"), max_length=250)
    document_type = models.CharField(_("tipus documental"), max_length=15, choices=ExpedientDocumentType.choices)
    organ = models.CharField(_("òrgan (DIR3)"), max_length=21)
    captured_at = models.DateTimeField(_("data de captura"))
    origin = models.CharField(_("origen"), max_length=15, choices=Origin.choices)
    production_state = models.CharField(_("estat d'elaboració"), max_length=10, choices=ProductionState.choices)
    file = models.FileField(_("fitxer"), storage=private_storage, upload_to=expedient_document_path, max_length=255)
    file_name = models.CharField(_("nom del fitxer"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(_("tipus de contingut"), max_length=100)
    sha256 = models.CharField(_("empremta SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("mida (bytes)"))
    csv = models.CharField(_("codi segur de verificació"), max_length=20, blank=True)
    issued_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("document emès"),
        on_delete=models.PROTECT,
        related_name="expedient_documents",
        null=True,
        blank=True,
    )
    register_entry = models.ForeignKey(
        "registre.RegisterEntry",
        verbose_name=_("assentament de registre"),
        on_delete=models.PROTECT,
        related_name="expedient_documents",
        null=True,
        blank=True,
    )
    correction = models.ForeignKey(
        CorrectionRequest,
        verbose_name=_("requeriment d'esmena"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    task = models.ForeignKey(
        Task, verbose_name=_("encàrrec"), on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("departament que l'incorpora"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incorporat per"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_at = models.DateTimeField(_("incorporat"))

    class Meta:
        ordering = ["expedient", "sequence"]
        verbose_name = _("document de l'expedient")
        verbose_name_plural = _("documents de l'expedient")
        constraints = [
            models.UniqueConstraint(fields=["expedient", "sequence"], name="expedients_document_sequence_unique"),
            models.CheckConstraint(
                condition=Q(document_type__in=ExpedientDocumentType.values), name="expedients_document_type"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="expedients_document_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    @property
    def nti_document_type(self) -> str:
        return NTI_DOCUMENT_TYPES.get(self.document_type, "TD99")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Obertura")
    ASSIGNED = "assigned", _("Assignació")
    STATE_CHANGED = "state_changed", _("Canvi d'estat")
    CORRECTION_REQUESTED = "correction_requested", _("Requeriment d'esmena")
    CORRECTION_ANSWERED = "correction_answered", _("Esmena presentada")
    CORRECTION_EXPIRED = "correction_expired", _("Termini d'esmena vençut")
    SUSPENDED = "suspended", _("Suspensió del termini")
    RESUMED = "resumed", _("Represa del termini")
    DOCUMENT_ADDED = "document_added", _("Document incorporat")
    TASK_REQUESTED = "task_requested", _("Encàrrec a un altre departament")
    TASK_ANSWERED = "task_answered", _("Resposta d'un encàrrec")
    RESOLVED = "resolved", _("Resolució")
    ARCHIVED = "archived", _("Arxiu")
    NOTIFICATION_AVAILABLE = "notification_available", _("Notificació posada a disposició")
    NOTIFICATION_ACCESSED = "notification_accessed", _("Notificació accedida")
    NOTIFICATION_REJECTED = "notification_rejected", _("Notificació rebutjada per no accedir-hi en 10 dies")
    REPRESENTATION_ACCEPTED = "representation_accepted", _("Representació acceptada")
    REPRESENTATION_REJECTED = "representation_rejected", _("Representació rebutjada")
    REPRESENTATION_REVOKED = "representation_revoked", _("Representació revocada")


class Event(models.Model):
    """One action on an expedient, written in the same transaction as the action (the timeline)."""

    expedient = models.ForeignKey(
        Expedient, verbose_name=_("expedient"), on_delete=models.PROTECT, related_name="events"
    )
    created_at = models.DateTimeField(_("quan"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui"),
        help_text=_("Buit quan actua el sistema."),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("departament"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("què"), max_length=25, choices=EventKind.choices)
    description = models.CharField(_("descripció"), max_length=500, blank=True)
    params = models.JSONField(_("dades"), default=dict, blank=True)

    class Meta:
        ordering = ["expedient", "created_at", "pk"]
        verbose_name = _("esdeveniment")
        verbose_name_plural = _("esdeveniments")
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="expedients_event_kind")]
        indexes = [models.Index(fields=["expedient", "created_at"], name="expedients_event_timeline")]

    def __str__(self) -> str:
        return f"{self.expedient_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
