"""What the API accepts (validated here) and what it answers (shaped here); no business rules."""

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tramits.accounts.identity import DocumentType, validate_document
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import get_procedure
from tramits.catalogue.selectors import department_by_code
from tramits.documents import conf
from tramits.documents.codes import csv_display
from tramits.documents.multipart import LOST_PARTS_KEY, is_lost
from tramits.documents.uploads import (
    CITIZEN_FORMATS,
    MESSAGES,
    STAFF_FORMATS,
    FormatSet,
    filing_size_check,
    upload_check,
)
from tramits.expedients.models import (
    OPEN_STATES,
    Event,
    Expedient,
    ExpedientDocument,
    ExpedientDocumentType,
    InterestedParty,
    State,
    Task,
    TaskKind,
    TaskState,
)
from tramits.registre.applications import application_problem
from tramits.registre.models import AttachmentKind, Channel, IdentificationMethod, RegisterAttachment, RegisterEntry
from tramits.terminis.calendar import official_today

MAX_ATTACHMENTS = 20
MAX_APPLICATION_BYTES = 1024 * 1024
LANGUAGE_CHOICES = [code for code, _name in settings.LANGUAGES]


class EnumField(serializers.ChoiceField):
    """A choice field documented as one named enum per choice set (see tramits.api.schema)."""

    def __init__(self, *args, enum_name: str | None = None, **kwargs):
        self.enum_name = enum_name
        super().__init__(*args, **kwargs)


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_choice_field = EnumField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # The integer range comes from the database backend (SQLite and PostgreSQL differ): not part of the contract.
        kwargs.pop("max_value", None)
        return field_class, kwargs


# Errors --------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence for people, a code for programs and, for invalid input, the messages per field."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language (Accept-Language).")
    code = serializers.CharField(help_text="A stable code, e.g. `invalid`, `not_found`, `idempotency_conflict`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field of the request, for `invalid` (400).",
    )


# Uploads -------------------------------------------------------------------------------------


def upload_rules(context: dict) -> tuple[FormatSet, int]:
    """A citizen sends what the wizards take; staff and internal systems (the default) the wider set."""
    caller = context.get("caller")
    if caller is not None and caller.is_citizen:
        return CITIZEN_FORMATS, conf.max_file_bytes()
    return STAFF_FORMATS, conf.staff_max_file_bytes()


class ReceivedFileField(serializers.FileField):
    """A file part that must have arrived whole: a part the multipart parser dropped is refused, not skipped."""

    def to_internal_value(self, data):
        if is_lost(data):
            raise serializers.ValidationError(str(MESSAGES["lost"]), code="lost")
        return super().to_internal_value(data)


class UploadField(ReceivedFileField):
    """A document checked by `tramits.documents.uploads.upload_check` with the caller's formats and limit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)  # the check says why, in the same words on every way in
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        formats, max_bytes = upload_rules(self.context)
        try:
            checked = upload_check(upload, formats=formats, max_bytes=max_bytes, check_declared_type=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from error
        upload.name = checked.name
        upload.accepted_content_type = checked.content_type
        return upload


# A request with files: a part the parser could not even name is refused before anything else.
# (No docstring: the schema would show it as the description of every request that inherits it.)
class UploadsSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if hasattr(data, "getlist") and data.getlist(LOST_PARTS_KEY):
            raise serializers.ValidationError({"non_field_errors": [str(MESSAGES["lost"])]}, code="lost")
        return super().to_internal_value(data)


# Filing --------------------------------------------------------------------------------------


class FilingRequestSerializer(UploadsSerializer):
    """A filing: the register entry's data and its attachments, sent as multipart/form-data."""

    channel = EnumField(choices=Channel.choices, default=Channel.ELECTRONIC)
    applicant_name = serializers.CharField(max_length=200, help_text="Name and surnames.")
    applicant_document_type = EnumField(
        choices=DocumentType.choices,
        required=False,
        help_text="dni, nie or passport; guessed from the number if left out.",
    )
    applicant_document_number = serializers.CharField(
        max_length=20, help_text="DNI or NIE with its check letter, or a passport number."
    )
    applicant_identified_by = EnumField(
        choices=IdentificationMethod.choices, help_text="How the person was identified."
    )
    representative_name = serializers.CharField(required=False, max_length=200, help_text="Name and surnames.")
    representative_document_type = EnumField(
        choices=DocumentType.choices,
        required=False,
        help_text="dni, nie or passport; guessed from the number if left out.",
    )
    representative_document_number = serializers.CharField(
        required=False, max_length=20, help_text="DNI or NIE with its check letter, or a passport number."
    )
    representative_identified_by = EnumField(
        choices=IdentificationMethod.choices, required=False, help_text="How the person was identified."
    )
    subject = serializers.CharField(max_length=500, help_text="What the filing asks, as the citizen wrote it.")
    procedure_code = serializers.CharField(max_length=40, help_text="Catalogue code, e.g. PADRO-ALTA.")
    department = serializers.CharField(
        required=False,
        max_length=30,
        help_text="Owner department's code; by default the procedure's. Staff and internal systems only.",
    )
    expedient_number = serializers.CharField(
        required=False,
        max_length=20,
        help_text="For GEN-APORTACIO only: the expedient the documents are for, e.g. EXP-2026-000001.",
    )
    citizen = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Id of the account that files, whose carpeta shows it. Staff and internal systems only.",
    )
    language = EnumField(
        enum_name="Language",
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text="Language of the receipt; the request's by default.",
    )
    application = ReceivedFileField(
        required=False,
        allow_empty_file=False,
        help_text="The structured application (JSON, schema `seu.sollicitud/1`), filed as the entry's first document.",
    )
    application_form = UploadField(
        required=False, help_text="The application's readable copy (PDF), filed after the structured one."
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text="When the seu received a filing it could only register later (an outage). Internal systems only.",
    )
    attachments = serializers.ListField(
        child=UploadField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text=(
            "Repeat the part once per file. Citizens: PDF, JPEG or PNG; staff and internal systems also TIFF, "
            f"ODT, ODS, DOCX and XLSX. At most {MAX_ATTACHMENTS} files; by default at most 10 MB each for "
            "citizens, 50 MB for staff and systems, and 25 MB together. A part that cannot be read is refused."
        ),
    )

    def _party(self, attrs: dict, prefix: str, errors: dict) -> None:
        number = attrs.get(f"{prefix}_document_number")
        if number is None:
            return
        try:
            attrs[f"{prefix}_document_number"] = validate_document(number, attrs.get(f"{prefix}_document_type"))
        except DjangoValidationError as error:
            errors[f"{prefix}_document_number"] = error.messages

    def validate_procedure_code(self, value: str) -> str:
        procedure = get_procedure(value.strip())
        if procedure is None:
            raise serializers.ValidationError(_("El codi de tràmit no existeix al catàleg."))
        return procedure.code

    def validate_department(self, value: str) -> Department:
        department = department_by_code(code=value)
        if department is None:
            raise serializers.ValidationError(_("No hi ha cap departament amb aquest codi."))
        return department

    def validate_application(self, upload) -> dict:
        if upload.size > MAX_APPLICATION_BYTES:
            raise serializers.ValidationError(_("La sol·licitud estructurada és massa gran."))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise serializers.ValidationError(_("La sol·licitud estructurada no és un JSON vàlid.")) from error
        finally:
            upload.seek(0)
        upload.document = document
        return upload

    def validate(self, attrs: dict) -> dict:
        errors: dict[str, list[str]] = {}
        application = attrs.get("application")
        if application is not None and "procedure_code" in attrs:
            problem = application_problem(document=application.document, procedure_code=attrs["procedure_code"])
            if problem:
                errors["application"] = [
                    _("La sol·licitud estructurada no segueix l'esquema: %(problem)s") % {"problem": problem}
                ]
        try:
            filing_size_check(upload.size for upload in attrs.get("attachments", []))
        except DjangoValidationError as error:
            errors["attachments"] = error.messages
        self._party(attrs, "applicant", errors)
        given = [name for name in ("name", "document_number", "identified_by") if attrs.get(f"representative_{name}")]
        if given:
            for name in ("name", "document_number", "identified_by"):
                if not attrs.get(f"representative_{name}"):
                    errors[f"representative_{name}"] = [_("Cal completar les dades del representant.")]
            self._party(attrs, "representative", errors)
        elif attrs.get("applicant_identified_by") == IdentificationMethod.REPRESENTED:
            errors["representative_name"] = [_("Cal indicar qui representa l'interessat.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReceiptSerializer(serializers.Serializer):
    csv = serializers.CharField(help_text="The secure verification code (CSV), reserved with the entry.")
    verification_url = serializers.URLField(help_text="Public page where anyone can verify the receipt.")
    download_url = serializers.URLField(help_text="This API's download of the receipt PDF (rendered on demand).")
    ready = serializers.BooleanField(help_text="Whether the PDF is already rendered; it is within seconds.")


class ApplicationFieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.DictField(child=serializers.CharField(), help_text="The label in ca, es and en.")
    value = serializers.JSONField(help_text="The value as answered (dates in ISO format, files by name).")
    display = serializers.DictField(child=serializers.CharField(), help_text="The value as shown, per language.")


class ApplicationStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField())
    fields = ApplicationFieldSerializer(many=True)


class ApplicationSerializer(serializers.Serializer):
    """The structured application filed with the entry (schema `seu.sollicitud/1`)."""

    schema = serializers.CharField()
    reference = serializers.CharField()
    procedure = serializers.DictField()
    language = serializers.CharField()
    received_at = serializers.DateTimeField()
    applicant = serializers.DictField()
    steps = ApplicationStepSerializer(many=True)
    documents = serializers.ListField(child=serializers.DictField())


class PartySerializer(serializers.Serializer):
    name = serializers.CharField()
    document_type = serializers.CharField()
    document_number = serializers.CharField()
    identified_by = serializers.CharField()


class UnitSerializer(serializers.Serializer):
    dir3 = serializers.CharField()
    name = serializers.CharField()


class AttachmentSerializer(ApiModelSerializer):
    kind = EnumField(
        enum_name="AttachmentKind",
        choices=AttachmentKind.choices,
        read_only=True,
        help_text="The application (structured data, readable copy) or a document the applicant attached.",
    )

    class Meta:
        model = RegisterAttachment
        fields = ["position", "kind", "name", "size", "content_type", "sha256"]


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class RegisterEntrySummarySerializer(ApiModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEntry
        fields = [
            "reference",
            "register",
            "registered_at",
            "effective_at",
            "channel",
            "subject",
            "procedure_code",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry: RegisterEntry) -> str:
        return _absolute(self.context.get("request"), reverse("api:entry-detail", args=[entry.reference]))


class ExpedientRefSerializer(serializers.Serializer):
    reference = serializers.CharField()
    url = serializers.URLField()


class RegisterEntryDetailSerializer(RegisterEntrySummarySerializer):
    """An entry as the receipt states it, with its attachments' hashes, its receipt and its expedient."""

    applicant = serializers.SerializerMethodField()
    representative = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    receipt = serializers.SerializerMethodField()
    expedient = serializers.SerializerMethodField()
    application = serializers.SerializerMethodField()

    class Meta(RegisterEntrySummarySerializer.Meta):
        fields = [
            *RegisterEntrySummarySerializer.Meta.fields[:-1],
            "year",
            "number",
            "language",
            "received_at",
            "applicant",
            "representative",
            "unit",
            "attachments",
            "application",
            "entry_hash",
            "receipt",
            "expedient",
            "url",
        ]

    @extend_schema_field(PartySerializer)
    def get_applicant(self, entry: RegisterEntry) -> dict:
        return {
            "name": entry.applicant_name,
            "document_type": entry.applicant_document_type,
            "document_number": entry.applicant_document_number,
            "identified_by": entry.applicant_identified_by,
        }

    @extend_schema_field(PartySerializer(allow_null=True))
    def get_representative(self, entry: RegisterEntry) -> dict | None:
        if not entry.has_representative:
            return None
        return {
            "name": entry.representative_name,
            "document_type": entry.representative_document_type,
            "document_number": entry.representative_document_number,
            "identified_by": entry.representative_identified_by,
        }

    @extend_schema_field(UnitSerializer)
    def get_unit(self, entry: RegisterEntry) -> dict:
        return {"dir3": entry.unit_dir3, "name": entry.unit_name}

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, entry: RegisterEntry) -> dict | None:
        receipt = self.context.get("receipt")
        csv = receipt.csv if receipt is not None else entry.receipt_csv
        if not csv:
            return None
        request = self.context.get("request")
        from tramits.registre.receipts import verification_url

        return {
            "csv": csv_display(csv),
            "verification_url": verification_url(csv=csv, language=entry.language),
            "download_url": _absolute(request, reverse("api:entry-receipt", args=[entry.reference])),
            "ready": receipt is not None,
        }

    @extend_schema_field(ApplicationSerializer(allow_null=True))
    def get_application(self, entry: RegisterEntry) -> dict | None:
        return self.context.get("application")

    @extend_schema_field(ExpedientRefSerializer(allow_null=True))
    def get_expedient(self, entry: RegisterEntry) -> dict | None:
        expedient = self.context.get("expedient")
        if expedient is None:
            return None
        return {
            "reference": expedient.reference,
            "url": _absolute(self.context.get("request"), reverse("api:expedient-detail", args=[expedient.reference])),
        }


# Expedients ----------------------------------------------------------------------------------


class DepartmentRefSerializer(ApiModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Department
        fields = ["code", "dir3", "name"]


class ExpedientSummarySerializer(ApiModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    assigned_to = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id of the person handling it.")
    is_overdue = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Expedient
        fields = [
            "reference",
            "procedure_code",
            "subject",
            "state",
            "state_display",
            "department",
            "assigned_to",
            "opened_at",
            "due_date",
            "is_overdue",
            "url",
        ]

    def _today(self) -> dt.date:
        if "today" not in self.context:
            self.context["today"] = official_today()
        return self.context["today"]

    def get_is_overdue(self, expedient: Expedient) -> bool:
        return bool(expedient.state in OPEN_STATES and expedient.due_date and expedient.due_date < self._today())

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, expedient: Expedient) -> str:
        return _absolute(self.context.get("request"), reverse("api:expedient-detail", args=[expedient.reference]))


class InterestedPartySerializer(ApiModelSerializer):
    class Meta:
        model = InterestedParty
        fields = ["name", "document_type", "document_number", "role"]


class DocumentSerializer(ApiModelSerializer):
    """One line of the expedient's index (NTI metadata and hash), with its download."""

    nti_document_type = serializers.CharField(read_only=True)
    task = serializers.PrimaryKeyRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpedientDocument
        fields = [
            "sequence",
            "identifier",
            "title",
            "document_type",
            "nti_document_type",
            "organ",
            "captured_at",
            "origin",
            "production_state",
            "file_name",
            "file_format",
            "content_type",
            "size",
            "sha256",
            "csv",
            "task",
            "added_at",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: ExpedientDocument) -> str:
        reference = self.context.get("expedient_reference") or document.expedient.reference
        path = reverse("api:expedient-document-file", args=[reference, document.sequence])
        return _absolute(self.context.get("request"), path)


class TaskSerializer(ApiModelSerializer):
    from_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "kind",
            "description",
            "from_department",
            "to_department",
            "requested_at",
            "due_date",
            "state",
            "answer",
            "answered_at",
        ]


class PendingCorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    requested_at = serializers.DateTimeField()
    deadline = serializers.DateField()


class ExpedientDetailSerializer(ExpedientSummarySerializer):
    opening_entry = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    resolution_entry = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    interested = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    pending_correction = serializers.SerializerMethodField()

    class Meta(ExpedientSummarySerializer.Meta):
        fields = [
            *ExpedientSummarySerializer.Meta.fields[:-1],
            "opening_entry",
            "term_unit",
            "term_value",
            "term_start",
            "base_due_date",
            "resolved_at",
            "resolution_entry",
            "archived_at",
            "interested",
            "pending_correction",
            "documents",
            "tasks",
            "url",
        ]

    @extend_schema_field(InterestedPartySerializer(many=True))
    def get_interested(self, expedient: Expedient) -> list:
        return InterestedPartySerializer(expedient.interested_parties.order_by("pk"), many=True).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, expedient: Expedient) -> list:
        context = {**self.context, "expedient_reference": expedient.reference}
        return DocumentSerializer(self.context.get("documents", []), many=True, context=context).data

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, expedient: Expedient) -> list:
        return TaskSerializer(self.context.get("tasks", []), many=True).data

    @extend_schema_field(PendingCorrectionSerializer(allow_null=True))
    def get_pending_correction(self, expedient: Expedient) -> dict | None:
        correction = expedient.correction_requests.filter(state="pending").first()
        if correction is None:
            return None
        return PendingCorrectionSerializer(correction).data


class FilingResponseSerializer(serializers.Serializer):
    entry = RegisterEntryDetailSerializer()
    expedient = ExpedientSummarySerializer()


class ExpedientFilterSerializer(serializers.Serializer):
    state = EnumField(choices=State.choices, required=False, help_text="Only in this state.")
    procedure = serializers.CharField(required=False, max_length=40, help_text="Procedure code, e.g. PADRO-ALTA.")
    department = serializers.CharField(required=False, max_length=30, help_text="Owner department's code.")
    due_before = serializers.DateField(required=False, help_text="Maximum resolution date before this day.")
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only open expedients past their maximum resolution date."
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text="Text in the number, an interessat's name or DNI/NIE."
    )

    def validate_department(self, value: str) -> int:
        department = department_by_code(code=value)
        if department is None:
            raise serializers.ValidationError(_("No hi ha cap departament amb aquest codi."))
        return department.pk


class DocumentAddSerializer(UploadsSerializer):
    title = serializers.CharField(max_length=250, help_text="Title in the index.")
    document_type = EnumField(choices=ExpedientDocumentType.choices, default=ExpedientDocumentType.OTHER)
    file = UploadField(help_text="The document (multipart part).")


class TransitionSerializer(serializers.Serializer):
    to_state = EnumField(
        enum_name="TransitionTarget",
        choices=[State.IN_PROGRESS, State.PENDING_CORRECTION, State.SUSPENDED, State.ARCHIVED],
        help_text=(
            "en_tramitacio (also resumes a suspension), pendent_esmena (a correction request: `reason` "
            "says what to correct), suspes (`reason` required) or arxivat. Resolving has its own endpoint."
        ),
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs["to_state"] in (State.PENDING_CORRECTION, State.SUSPENDED) and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [_("Cal indicar el motiu.")]})
        return attrs


class ResolutionSerializer(UploadsSerializer):
    title = serializers.CharField(max_length=250, required=False, default="")
    summary = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    file = UploadField(help_text="The signed resolution; it is registered in the outgoing register.")


class TaskRequestSerializer(serializers.Serializer):
    to_department = serializers.CharField(max_length=30, help_text="Code of the department asked.")
    kind = EnumField(choices=TaskKind.choices)
    description = serializers.CharField(max_length=5000)
    business_days = serializers.IntegerField(min_value=1, max_value=90, default=10)

    def validate_to_department(self, value: str) -> Department:
        department = department_by_code(code=value)
        if department is None:
            raise serializers.ValidationError(_("No hi ha cap departament amb aquest codi."))
        return department


class TaskAnswerSerializer(UploadsSerializer):
    answer = serializers.CharField(max_length=5000)
    state = EnumField(enum_name="TaskOutcome", choices=[TaskState.DONE, TaskState.REJECTED], default=TaskState.DONE)
    report_title = serializers.CharField(max_length=250, required=False, default="")
    report = UploadField(required=False, help_text="The report, if any (multipart part).")


class TaskInboxSerializer(TaskSerializer):
    expedient = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = ["expedient", *TaskSerializer.Meta.fields]


class EventSerializer(ApiModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Event
        fields = ["created_at", "kind", "kind_display", "actor", "department", "description", "params"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: Event) -> str | None:
        """Who acted, by name; null for the system."""
        return str(event.actor) if event.actor_id else None
