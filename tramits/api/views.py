"""The internal API's endpoints: they check who may do what, call one service or selector, and shape the answer."""

import hashlib
import json
import logging
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tramits.accounts.models import User
from tramits.api.access import (
    Caller,
    caller_of,
    documents_for,
    entries_for,
    entry_for_read,
    events_for,
    expedient_for_action,
    expedient_for_read,
    expedients_for,
    service_scope_require,
    tasks_for,
)
from tramits.api.authentication import ON_BEHALF_OF_HEADER, ApiTokenAuthentication, StaffSessionAuthentication
from tramits.api.models import Operation
from tramits.api.serializers import (
    DocumentAddSerializer,
    DocumentSerializer,
    ErrorSerializer,
    EventSerializer,
    ExpedientDetailSerializer,
    ExpedientFilterSerializer,
    ExpedientSummarySerializer,
    FilingRequestSerializer,
    FilingResponseSerializer,
    RegisterEntryDetailSerializer,
    RegisterEntrySummarySerializer,
    ResolutionSerializer,
    TaskAnswerSerializer,
    TaskInboxSerializer,
    TaskRequestSerializer,
    TaskSerializer,
    TransitionSerializer,
)
from tramits.api.services import idempotent_request_answer, idempotent_request_claim, idempotent_request_release
from tramits.documents.models import DocumentType as IssuedDocumentType
from tramits.documents.models import IssuedDocument
from tramits.expedients import services as expedients
from tramits.expedients.filing import filing_expedient_of, filing_register
from tramits.expedients.models import State, Task
from tramits.expedients.selectors import expedients_filter, tasks_inbox
from tramits.registre.applications import entry_application
from tramits.registre.models import AttachmentKind, Channel, RegisterEntry
from tramits.registre.services import (
    AttachmentUpload,
    IdempotencyKeyConflict,
    Party,
    StoredAttachment,
    attachments_store,
    files_delete,
    register_receipt_ensure,
)
from tramits.representacions.claims import citizen_claim_errors

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


# Errors --------------------------------------------------------------------------------------


class ReceiptNotReady(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "receipt_not_ready"
    default_detail = _lazy("El justificant encara s'està preparant. Torneu-ho a provar d'aquí a un minut.")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _messages_by_field(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: messages for field, messages in error.message_dict.items()}
    return {"non_field_errors": error.messages}


def _domain_to_api(exc: Exception) -> Exception:
    """The services' named errors as HTTP errors, with messages in the request's language."""
    if isinstance(exc, expedients.ExpedientPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_messages_by_field(exc))
    if isinstance(exc, IdempotencyKeyConflict):
        return Conflict(
            _("Aquesta clau d'idempotència ja s'ha fet servir per a una altra sol·licitud."), "idempotency_conflict"
        )
    if isinstance(exc, expedients.TransitionNotAllowed):
        return Conflict(
            _("L'expedient és «%(from)s» i no pot passar a «%(to)s».") % {"from": exc.from_state, "to": exc.to_state},
            "transition_not_allowed",
        )
    if isinstance(exc, expedients.ExpedientClosed):
        return Conflict(_("L'expedient està arxivat i no admet canvis."), "expedient_closed")
    if isinstance(exc, expedients.TaskNotPending):
        return Conflict(_("Aquest encàrrec ja s'ha respost."), "task_not_pending")
    if isinstance(exc, expedients.CorrectionNotPending):
        return Conflict(_("Aquest requeriment ja s'ha respost o ha vençut."), "correction_not_pending")
    return exc


class ApiView(APIView):
    """Base of every endpoint: token or staff session, and one shape for every error."""

    authentication_classes = [ApiTokenAuthentication, StaffSessionAuthentication]
    # What a service account's scope must allow for this view's writes; reads (GET, HEAD, OPTIONS) need `read`.
    operation: str = Operation.ACT

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        operation = Operation.READ if request.method in SAFE_METHODS else self.operation
        procedure_code = str(request.data.get("procedure_code") or "") if operation == Operation.FILE else None
        service_scope_require(caller=self.caller, operation=operation, procedure_code=procedure_code)

    def handle_exception(self, exc):
        response = super().handle_exception(_domain_to_api(exc))
        data = response.data
        if isinstance(data, dict) and "detail" in data and len(data) == 1:
            detail = data["detail"]
            code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
            response.data = {"detail": str(detail), "code": str(code)}
        else:
            response.data = {
                "detail": _("Les dades enviades no són vàlides. Reviseu els camps indicats."),
                "code": "invalid",
                "errors": data if isinstance(data, dict) else {"non_field_errors": data},
            }
        return response

    @property
    def caller(self) -> Caller:
        return caller_of(self.request)


class ApiGenericView(ApiView, GenericAPIView):
    pass


class ApiListView(ApiView, ListAPIView):
    pass


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _errors(*codes: int) -> dict:
    descriptions = {
        400: "Invalid input; `errors` has the messages per field. Nothing was written.",
        401: "No valid token or session.",
        403: "Not allowed: another department's expedient, or an action only its owner department may take.",
        404: "No such object, or it is not yours (a citizen never learns whether someone else's exists).",
        409: "Conflict with the current state (a transition not allowed, an archived expedient, a key reused).",
        415: "Wrong request content type.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes}


ON_BEHALF_OF = OpenApiParameter(
    ON_BEHALF_OF_HEADER,
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    required=False,
    description="Internal systems only: act as this user id, with their permissions.",
)
REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. EXP-2026-000001")
ENTRY_REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. E-2026-000001"
)
IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "Required. 1-64 characters from A-Z a-z 0-9 . _ : -. The same key with the same body gives the same "
        "answer (201 the first time, 200 after) and never a second entry; with another body, 409."
    ),
)


def _file_response(file_field, *, file_name: str, content_type: str) -> FileResponse:
    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=file_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# Register entries ----------------------------------------------------------------------------


def _receipt_of(entry: RegisterEntry) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(register_entry=entry, document_type=IssuedDocumentType.ACKNOWLEDGEMENT).first()


def _fingerprint(data: dict, on_behalf_of: int | None, stored: Sequence[StoredAttachment]) -> str:
    """A hash of what was asked: the fields as validated and each file's kind, name, type and SHA-256."""
    canonical = {
        name: getattr(value, "pk", value)
        for name, value in sorted(data.items())
        if name not in ("attachments", "application", "application_form")
    }
    canonical["files"] = [[item.kind, item.name, item.content_type, item.sha256] for item in stored]
    canonical["on_behalf_of"] = on_behalf_of
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _filing_attachments(data: dict) -> list[AttachmentUpload]:
    """The application (structured, then readable) before the documents, each with what it is."""
    attachments = []
    if data.get("application") is not None:
        upload = data["application"]
        attachments.append(AttachmentUpload(upload.name, upload, "application/json", AttachmentKind.APPLICATION_DATA))
    if data.get("application_form") is not None:
        upload = data["application_form"]
        attachments.append(
            AttachmentUpload(upload.name, upload, upload.accepted_content_type, AttachmentKind.APPLICATION_FORM)
        )
    attachments += [
        AttachmentUpload(upload.name, upload, upload.accepted_content_type) for upload in data["attachments"]
    ]
    return attachments


def _party(data: dict, prefix: str) -> Party | None:
    if not data.get(f"{prefix}_name"):
        return None
    return Party(
        name=data[f"{prefix}_name"],
        document_number=data[f"{prefix}_document_number"],
        identified_by=data[f"{prefix}_identified_by"],
        document_type=data.get(f"{prefix}_document_type", ""),
    )


class EntryListCreateView(ApiListView):
    """`/registre/entrades/`: the entries the caller may see; a POST files a new one and opens its expedient."""

    serializer_class = RegisterEntrySummarySerializer
    pagination_class = ApiPagination
    parser_classes = [MultiPartParser]
    operation = Operation.FILE

    def get_queryset(self) -> QuerySet[RegisterEntry]:
        return entries_for(self.caller).order_by("-registered_at", "-pk")

    @extend_schema(
        operation_id="registre_entries_list",
        summary="List register entries",
        description="The entries the caller may see, newest first.",
        parameters=[ON_BEHALF_OF],
        responses={200: RegisterEntrySummarySerializer(many=True), **_errors(401, 403)},
        tags=["registre"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="registre_entries_create",
        summary="File: register an entry and open its expedient",
        description=(
            "One transaction registers the entry (number, official time, effective date, attachments' "
            "SHA-256) and opens the expedient in the procedure's department (GEN-APORTACIO adds the "
            "documents to `expedient_number` instead). The receipt is rendered right after, so the answer "
            "carries its CSV code and download; `receipt` is null if rendering failed (it is retried).\n\n"
            "Send `multipart/form-data`, one `attachments` part per file. Citizens file electronically, for "
            "themselves or for someone they represent (their DNI/NIE must be the applicant's or the "
            "representative's)."
        ),
        parameters=[IDEMPOTENCY, ON_BEHALF_OF],
        request={"multipart/form-data": FilingRequestSerializer},
        responses={
            201: OpenApiResponse(FilingResponseSerializer, description="Registered."),
            200: OpenApiResponse(FilingResponseSerializer, description="The same key and body again: same answer."),
            **_errors(400, 401, 403, 409, 415),
        },
        tags=["registre"],
    )
    def post(self, request: Request) -> Response:
        key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not IDEMPOTENCY_KEY.match(key):
            raise exceptions.ValidationError(
                {IDEMPOTENCY_HEADER: [_("Cal la capçalera Idempotency-Key: d'1 a 64 lletres, xifres o . _ : -.")]}
            )
        serializer = FilingRequestSerializer(data=request.data, context={"caller": self.caller})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        caller = self.caller
        citizen = self._citizen(caller, data)
        on_behalf_of = getattr(request.auth, "on_behalf_of", None)
        scope = f"svc{caller.service_account.user_id}" if caller.service_account else f"u{request.user.pk}"
        # Each file is stored and hashed once, here; the filing takes the stored files as they are.
        stored, copies = attachments_store(_filing_attachments(data))
        kept: set[str] = set()
        try:
            fingerprint = _fingerprint(data, on_behalf_of, stored)
            claim, claimed = idempotent_request_claim(scope=scope, key=key, fingerprint=fingerprint)
            if claim.fingerprint != fingerprint:
                raise Conflict(
                    _("Aquesta clau d'idempotència ja s'ha fet servir per a una altra sol·licitud."),
                    "idempotency_conflict",
                )
            if claim.response is not None:
                return Response(claim.response, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
            try:
                entry, expedient = filing_register(
                    channel=data["channel"],
                    applicant=_party(data, "applicant"),
                    representative=_party(data, "representative"),
                    subject=data["subject"],
                    procedure_code=data["procedure_code"],
                    attachments=stored,
                    idempotency_key=f"{scope}:{key}",
                    citizen=citizen,
                    department=data.get("department"),
                    actor=None if caller.is_citizen else caller.actor,
                    expedient_number=data.get("expedient_number", ""),
                    language=data.get("language") or (getattr(request, "LANGUAGE_CODE", "ca") or "ca")[:2],
                    received_at=None if caller.is_citizen else data.get("received_at"),
                )
            except Exception:
                if claimed:
                    idempotent_request_release(claim=claim)
                raise
            kept = set(entry.attachments.values_list("file", flat=True))
        finally:
            files_delete(name for name in copies if name not in kept)  # a failure or a repeat leaves no file
        context = {
            "request": request,
            "receipt": _receipt_of(entry),
            "expedient": expedient,
            "application": entry_application(entry=entry),
        }
        body = {
            "entry": RegisterEntryDetailSerializer(entry, context=context).data,
            "expedient": ExpedientSummarySerializer(expedient, context=context).data,
        }
        body = idempotent_request_answer(
            claim=claim, status_code=201, response=json.loads(json.dumps(body)), entry=entry
        )
        return Response(body, status=status.HTTP_201_CREATED if claimed else status.HTTP_200_OK)

    def _citizen(self, caller: Caller, data: dict):
        """The account the filing belongs to: the caller if a citizen, or the one staff and systems name.

        A citizen files as themselves, or as the representative of someone who gave them a representation
        (`citizen_claim_errors`), identified as their login proved.
        """
        if caller.is_citizen:
            errors = {}
            for field in ("citizen", "department"):
                if field in data:
                    errors[field] = [_("Només el personal i els sistemes interns poden indicar aquest camp.")]
            if data["channel"] != Channel.ELECTRONIC:
                errors["channel"] = [_("La ciutadania presenta les sol·licituds per la seu electrònica.")]
            errors.update(citizen_claim_errors(user=caller.user, data=data))
            if errors:
                raise exceptions.ValidationError(errors)
            return caller.user
        if "citizen" not in data:
            return None
        citizen = User.objects.filter(pk=data["citizen"], is_active=True).first()
        if citizen is None:
            raise exceptions.ValidationError({"citizen": [_("No hi ha cap compte actiu amb aquest identificador.")]})
        return citizen


class EntryDetailView(ApiView):
    @extend_schema(
        operation_id="registre_entries_retrieve",
        summary="Read a register entry",
        description="The entry as its receipt states it: parties, attachments with SHA-256, receipt and expedient.",
        parameters=[ENTRY_REFERENCE, ON_BEHALF_OF],
        responses={200: RegisterEntryDetailSerializer, **_errors(401, 403, 404)},
        tags=["registre"],
    )
    def get(self, request: Request, reference: str) -> Response:
        entry = entry_for_read(self.caller, reference)
        context = {
            "request": request,
            "receipt": _receipt_of(entry),
            "expedient": filing_expedient_of(entry=entry),
            "application": entry_application(entry=entry),
        }
        return Response(RegisterEntryDetailSerializer(entry, context=context).data)


class EntryReceiptView(ApiView):
    @extend_schema(
        operation_id="registre_entries_receipt",
        summary="Download the receipt (justificant) PDF",
        parameters=[ENTRY_REFERENCE, ON_BEHALF_OF],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The receipt."),
            503: OpenApiResponse(ErrorSerializer, description="The receipt could not be rendered yet; retry."),
            **_errors(401, 403, 404),
        },
        tags=["registre"],
    )
    def get(self, request: Request, reference: str) -> FileResponse:
        entry = entry_for_read(self.caller, reference)
        receipt = _receipt_of(entry)
        if receipt is None:
            try:
                receipt = register_receipt_ensure(entry=entry)  # rendered now when the worker has not yet
            except Exception as error:
                logger.exception("api.receipt_render_failed entry=%s", entry.reference)
                raise ReceiptNotReady() from error
        return _file_response(receipt.file, file_name=receipt.file_name, content_type=receipt.content_type)


# Expedients ----------------------------------------------------------------------------------


class ExpedientListView(ApiListView):
    """The expedients the caller may see, filtered, newest first; the query count does not grow with the page."""

    serializer_class = ExpedientSummarySerializer
    pagination_class = ApiPagination

    def get_queryset(self) -> QuerySet:
        filters = ExpedientFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return expedients_filter(
            queryset=expedients_for(self.caller),
            state=data.get("state"),
            department_id=data.get("department"),
            procedure_code=data.get("procedure"),
            due_before=data.get("due_before"),
            overdue=data.get("overdue", False),
            text=data.get("q"),
        ).order_by("-year", "-number")  # newest first: numbers follow the official time (unique index)

    @extend_schema(
        operation_id="expedients_list",
        summary="List and filter expedients",
        parameters=[ExpedientFilterSerializer, ON_BEHALF_OF],
        responses={200: ExpedientSummarySerializer(many=True), **_errors(400, 401, 403)},
        tags=["expedients"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


def _expedient_detail(request: Request, caller: Caller, expedient) -> dict:
    context = {
        "request": request,
        "documents": documents_for(caller, expedient),
        "tasks": tasks_for(caller, expedient),
    }
    return ExpedientDetailSerializer(expedient, context=context).data


class ExpedientDetailView(ApiView):
    @extend_schema(
        operation_id="expedients_retrieve",
        summary="Read an expedient",
        description="State, terms, interessats, the index of documents with hashes, and the tasks the caller may see.",
        parameters=[REFERENCE, ON_BEHALF_OF],
        responses={200: ExpedientDetailSerializer, **_errors(401, 403, 404)},
        tags=["expedients"],
    )
    def get(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_read(self.caller, reference)
        return Response(_expedient_detail(request, self.caller, expedient))


class ExpedientDocumentsView(ApiView):
    parser_classes = [MultiPartParser]
    operation = Operation.ACT

    @extend_schema(
        operation_id="expedients_documents_list",
        summary="The index of the expedient's documents",
        parameters=[REFERENCE, ON_BEHALF_OF],
        responses={200: DocumentSerializer(many=True), **_errors(401, 403, 404)},
        tags=["expedients"],
    )
    def get(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_read(self.caller, reference)
        documents = documents_for(self.caller, expedient)
        context = {"request": request, "expedient_reference": expedient.reference}
        return Response(DocumentSerializer(documents, many=True, context=context).data)

    @extend_schema(
        operation_id="expedients_documents_create",
        summary="Add a document to the expedient",
        description="Owner department (or an internal system) only. Send `multipart/form-data`.",
        parameters=[REFERENCE, ON_BEHALF_OF],
        request={"multipart/form-data": DocumentAddSerializer},
        responses={201: DocumentSerializer, **_errors(400, 401, 403, 404, 409, 415)},
        tags=["expedients"],
    )
    def post(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_action(self.caller, reference)
        serializer = DocumentAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        document = expedients.document_add(
            expedient=expedient,
            actor=self.caller.actor,
            title=data["title"],
            document_type=data["document_type"],
            upload=expedients.DocumentUpload(upload.name, upload, upload.accepted_content_type),
        )
        context = {"request": request, "expedient_reference": expedient.reference}
        return Response(DocumentSerializer(document, context=context).data, status=status.HTTP_201_CREATED)


class ExpedientDocumentFileView(ApiView):
    @extend_schema(
        operation_id="expedients_documents_file",
        summary="Download a document of the expedient",
        parameters=[
            REFERENCE,
            OpenApiParameter("sequence", OpenApiTypes.INT, OpenApiParameter.PATH, description="Position in the index."),
            ON_BEHALF_OF,
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **_errors(401, 403, 404),
        },
        tags=["expedients"],
    )
    def get(self, request: Request, reference: str, sequence: int) -> FileResponse:
        expedient = expedient_for_read(self.caller, reference)
        document = documents_for(self.caller, expedient).filter(sequence=sequence).first()
        if document is None:
            raise exceptions.NotFound(_("No s'ha trobat el document."))
        return _file_response(document.file, file_name=document.file_name, content_type=document.content_type)


class ExpedientTransitionView(ApiView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    operation = Operation.ACT

    @extend_schema(
        operation_id="expedients_transition",
        summary="Change the expedient's state",
        description=(
            "Owner department (or an internal system) only. `pendent_esmena` sends a correction request "
            "(10 business days, term suspended) with `reason` as what to correct; `suspes` suspends the term; "
            "`en_tramitacio` starts the handling or resumes a suspension; `arxivat` archives a resolved one."
        ),
        parameters=[REFERENCE, ON_BEHALF_OF],
        request=TransitionSerializer,
        responses={200: ExpedientDetailSerializer, **_errors(400, 401, 403, 404, 409)},
        tags=["expedients"],
    )
    def post(self, request: Request, reference: str) -> Response:
        caller = self.caller
        expedient = expedient_for_action(caller, reference)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to_state, reason = serializer.validated_data["to_state"], serializer.validated_data["reason"].strip()
        actor = caller.actor
        if to_state == State.PENDING_CORRECTION:
            expedients.correction_request(expedient=expedient, actor=actor, description=reason)
        elif to_state == State.SUSPENDED:
            expedients.expedient_suspend(expedient=expedient, actor=actor, reason=reason)
        elif to_state == State.ARCHIVED:
            expedients.expedient_archive(expedient=expedient, actor=actor, reason=reason)
        elif expedient.state == State.SUSPENDED:
            expedients.expedient_resume(expedient=expedient, actor=actor, reason=reason)
        else:
            expedients.expedient_transition(expedient=expedient, to_state=to_state, actor=actor, reason=reason)
        expedient.refresh_from_db()
        return Response(_expedient_detail(request, caller, expedient))


class ExpedientResolutionView(ApiView):
    parser_classes = [MultiPartParser]
    operation = Operation.ACT

    @extend_schema(
        operation_id="expedients_resolve",
        summary="Resolve the expedient",
        description=(
            "Owner department (or an internal system) only. The resolution document joins the index and is "
            "registered in the outgoing register in the same transaction. Send `multipart/form-data`."
        ),
        parameters=[REFERENCE, ON_BEHALF_OF],
        request={"multipart/form-data": ResolutionSerializer},
        responses={200: ExpedientDetailSerializer, **_errors(400, 401, 403, 404, 409, 415)},
        tags=["expedients"],
    )
    def post(self, request: Request, reference: str) -> Response:
        caller = self.caller
        expedient = expedient_for_action(caller, reference)
        serializer = ResolutionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        expedients.expedient_resolve(
            expedient=expedient,
            actor=caller.actor,
            title=data["title"],
            summary=data["summary"],
            resolution=expedients.DocumentUpload(upload.name, upload, upload.accepted_content_type),
        )
        expedient.refresh_from_db()
        return Response(_expedient_detail(request, caller, expedient))


class ExpedientTasksView(ApiView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    operation = Operation.ACT

    @extend_schema(
        operation_id="expedients_tasks_list",
        summary="Tasks asked of other departments on this expedient",
        description="The owner department sees them all; a department asked for one sees only its own.",
        parameters=[REFERENCE, ON_BEHALF_OF],
        responses={200: TaskSerializer(many=True), **_errors(401, 403, 404)},
        tags=["expedients"],
    )
    def get(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_read(self.caller, reference)
        return Response(TaskSerializer(tasks_for(self.caller, expedient), many=True).data)

    @extend_schema(
        operation_id="expedients_tasks_create",
        summary="Ask another department for a report or a task",
        parameters=[REFERENCE, ON_BEHALF_OF],
        request=TaskRequestSerializer,
        responses={201: TaskSerializer, **_errors(400, 401, 403, 404, 409)},
        tags=["expedients"],
    )
    def post(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_action(self.caller, reference)
        serializer = TaskRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = expedients.task_request(expedient=expedient, actor=self.caller.actor, **serializer.validated_data)
        task = Task.objects.select_related("from_department", "to_department").get(pk=task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskAnswerView(ApiView):
    parser_classes = [MultiPartParser, JSONParser]
    operation = Operation.ACT

    @extend_schema(
        operation_id="expedients_tasks_answer",
        summary="Answer a task (the department it was asked of)",
        description="Done or rejected, optionally with the report as a document of the expedient.",
        parameters=[
            REFERENCE,
            OpenApiParameter("task_id", OpenApiTypes.INT, OpenApiParameter.PATH),
            ON_BEHALF_OF,
        ],
        request={"multipart/form-data": TaskAnswerSerializer, "application/json": TaskAnswerSerializer},
        responses={200: TaskSerializer, **_errors(400, 401, 403, 404, 409)},
        tags=["expedients"],
    )
    def post(self, request: Request, reference: str, task_id: int) -> Response:
        caller = self.caller
        expedient = expedient_for_read(caller, reference)
        task = tasks_for(caller, expedient).filter(pk=task_id).first()
        if task is None:
            raise exceptions.NotFound(_("No s'ha trobat l'encàrrec."))
        if not caller.is_service and task.to_department_id not in caller.department_ids:
            raise exceptions.PermissionDenied(_("Només el departament que rep l'encàrrec hi pot respondre."))
        serializer = TaskAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = data.get("report")
        expedients.task_answer(
            task=task,
            actor=caller.actor,
            answer=data["answer"],
            state=data["state"],
            report=expedients.DocumentUpload(report.name, report, report.accepted_content_type) if report else None,
            report_title=data["report_title"],
        )
        task = Task.objects.select_related("from_department", "to_department").get(pk=task.pk)
        return Response(TaskSerializer(task).data)


class TaskInboxView(ApiListView):
    serializer_class = TaskInboxSerializer
    pagination_class = ApiPagination

    def get_queryset(self) -> QuerySet[Task]:
        caller = self.caller
        if caller.is_service:
            return (
                Task.objects.filter(state="pending")
                .select_related("expedient", "from_department", "to_department")
                .order_by("due_date", "pk")
            )
        return tasks_inbox(user=caller.user)

    @extend_schema(
        operation_id="tasks_inbox",
        summary="Pending tasks other departments asked of mine",
        parameters=[ON_BEHALF_OF],
        responses={200: TaskInboxSerializer(many=True), **_errors(401, 403)},
        tags=["expedients"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ExpedientTimelineView(ApiGenericView):
    serializer_class = EventSerializer
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="expedients_timeline",
        summary="The expedient's timeline",
        description="Every action, oldest first: who, when, what. Tasks show only to the departments they concern.",
        parameters=[REFERENCE, ON_BEHALF_OF],
        responses={200: EventSerializer(many=True), **_errors(401, 403, 404)},
        tags=["expedients"],
    )
    def get(self, request: Request, reference: str) -> Response:
        expedient = expedient_for_read(self.caller, reference)
        page = self.paginate_queryset(events_for(self.caller, expedient))
        return self.get_paginated_response(EventSerializer(page, many=True).data)
