"""The one client of the internal API that the rest of the code uses (wizards, submissions, carpeta, back office).

Two transports, one contract: with `TRAMITS_API_TRANSPORT = "http"` the calls go over the network
to `TRAMITS_API_URL` with the `TRAMITS_API_TOKEN`; with `"inprocess"` (the embedded default) the
same HTTP requests go through `httpx.WSGITransport` straight into `portal.wsgi.application`, so the
URL routing, the validation, the authentication and the idempotency are exactly the API's. In
process, the token of a service account is created on first use when `TRAMITS_API_TOKEN` is empty.

    with api_client() as api:
        result = api.filing_create(idempotency_key=submission.key, ...)

Errors: `ApiUnavailable` (cannot connect, timeout, 5xx) means "queue it and retry with the same
idempotency key"; `ApiRejected` (4xx) carries the API's messages per field and will not succeed
by retrying.

Never call the API inside a database transaction: a remote call cannot join it, and in process
the request would run on the caller's own connection, where Django's end-of-request handling would
close it under the open transaction. The client refuses with `ApiCalledInTransaction` unless
`TRAMITS_API_CHECK_ATOMIC = False`, which test settings use because pytest-django wraps each
test in a transaction (the in-process request then runs inside it, as Django's test client does).
"""

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar

import httpx
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

ON_BEHALF_OF_HEADER = "X-On-Behalf-Of"
IDEMPOTENCY_HEADER = "Idempotency-Key"

FileInput = tuple[str, bytes | IO[bytes], str]
T = TypeVar("T")


# Errors --------------------------------------------------------------------------------------


class ApiError(Exception):
    """Base of the client's errors."""


class ApiUnavailable(ApiError):
    """The API could not answer (connection refused, timeout, server error): retry later with the same key."""


class ApiRejected(ApiError):
    """The API refused the request (4xx): `errors` has the messages per field, in the request's language."""

    def __init__(self, status_code: int, detail: str, code: str = "", errors: dict[str, list[str]] | None = None):
        self.status_code, self.detail, self.code, self.errors = status_code, detail, code, errors or {}
        super().__init__(f"{status_code} {code}: {detail}")


class ApiCalledInTransaction(ApiError):
    """The API was called inside a database transaction; call it after the commit instead."""


# Results -------------------------------------------------------------------------------------


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Attachment:
    position: int
    name: str
    size: int
    content_type: str
    sha256: str


@dataclass(frozen=True)
class Receipt:
    csv: str
    verification_url: str
    download_url: str


@dataclass(frozen=True)
class Entry:
    reference: str
    registered_at: dt.datetime
    effective_at: dt.datetime
    channel: str
    subject: str
    procedure_code: str
    applicant_name: str
    unit_dir3: str
    attachments: list[Attachment]
    receipt: Receipt | None
    expedient_reference: str | None
    entry_hash: str

    @classmethod
    def from_api(cls, data: dict) -> "Entry":
        receipt = data.get("receipt")
        return cls(
            reference=data["reference"],
            registered_at=_datetime(data["registered_at"]),
            effective_at=_datetime(data["effective_at"]),
            channel=data["channel"],
            subject=data["subject"],
            procedure_code=data["procedure_code"],
            applicant_name=data["applicant"]["name"],
            unit_dir3=data["unit"]["dir3"],
            attachments=[Attachment(**item) for item in data["attachments"]],
            receipt=Receipt(**receipt) if receipt else None,
            expedient_reference=(data.get("expedient") or {}).get("reference"),
            entry_hash=data["entry_hash"],
        )


@dataclass(frozen=True)
class ExpedientSummary:
    reference: str
    procedure_code: str
    subject: str
    state: str
    department_code: str
    opened_at: dt.datetime
    due_date: dt.date | None
    is_overdue: bool

    @classmethod
    def from_api(cls, data: dict) -> "ExpedientSummary":
        return cls(
            reference=data["reference"],
            procedure_code=data["procedure_code"],
            subject=data["subject"],
            state=data["state"],
            department_code=data["department"]["code"],
            opened_at=_datetime(data["opened_at"]),
            due_date=_date(data["due_date"]),
            is_overdue=data["is_overdue"],
        )


@dataclass(frozen=True)
class Document:
    sequence: int
    identifier: str
    title: str
    document_type: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    csv: str
    download_url: str

    @classmethod
    def from_api(cls, data: dict) -> "Document":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Task:
    id: int
    kind: str
    description: str
    from_department: str
    to_department: str
    due_date: dt.date
    state: str
    answer: str

    @classmethod
    def from_api(cls, data: dict) -> "Task":
        values = {name: data[name] for name in cls.__dataclass_fields__}
        values["due_date"] = _date(data["due_date"])
        return cls(**values)


@dataclass(frozen=True)
class Expedient(ExpedientSummary):
    opening_entry: str = ""
    interested: list[dict] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    pending_correction: dict | None = None

    @classmethod
    def from_api(cls, data: dict) -> "Expedient":
        summary = ExpedientSummary.from_api(data)
        return cls(
            **summary.__dict__,
            opening_entry=data["opening_entry"],
            interested=data["interested"],
            documents=[Document.from_api(item) for item in data["documents"]],
            tasks=[Task.from_api(item) for item in data["tasks"]],
            pending_correction=data["pending_correction"],
        )


@dataclass(frozen=True)
class Event:
    created_at: dt.datetime
    kind: str
    actor: str | None
    department: str | None
    description: str
    params: dict

    @classmethod
    def from_api(cls, data: dict) -> "Event":
        values = {name: data[name] for name in cls.__dataclass_fields__}
        values["created_at"] = _datetime(data["created_at"])
        return cls(**values)


@dataclass(frozen=True)
class Page(Generic[T]):
    count: int
    page: int
    has_next: bool
    results: list[T]


@dataclass(frozen=True)
class FilingResult:
    """What a filing gives back: the entry (with its receipt) and the expedient it opened or joined."""

    entry: Entry
    expedient: ExpedientSummary
    replayed: bool

    @property
    def entry_reference(self) -> str:
        return self.entry.reference

    @property
    def expedient_reference(self) -> str:
        return self.expedient.reference


# Transports ----------------------------------------------------------------------------------


@contextmanager
def _own_connection_kept() -> Iterator[None]:
    """Keep Django's end-of-request cleanup from closing this thread's connections during an in-process call.

    Outside a transaction it is enough to clear the connections' expiry, which is per thread. Inside
    one (tests only), the cleanup would close any connection in a transaction, so it is switched off
    for the call, as `django.test.Client` does.
    """
    in_atomic = any(conn.in_atomic_block for conn in connections.all(initialized_only=True))
    if in_atomic:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return
    expiries = {conn.alias: conn.close_at for conn in connections.all(initialized_only=True)}
    for conn in connections.all(initialized_only=True):
        conn.close_at = None
    try:
        yield
    finally:
        for conn in connections.all(initialized_only=True):
            if conn.alias in expiries:
                conn.close_at = expiries[conn.alias]


class _InProcessTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        from portal.wsgi import application

        self._wsgi = httpx.WSGITransport(app=application)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with _own_connection_kept():
            response = self._wsgi.handle_request(request)
            response.read()
            response.close()
        return response


def _check_not_in_transaction() -> None:
    if not getattr(settings, "TRAMITS_API_CHECK_ATOMIC", True):
        return
    if any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        raise ApiCalledInTransaction(
            "The internal API was called inside a database transaction; call it after the commit "
            "(transaction.on_commit) instead."
        )


# Client --------------------------------------------------------------------------------------


class TramitsApiClient:
    """Typed calls to the internal API over HTTP or in process; see the module's docstring."""

    def __init__(
        self,
        *,
        transport: str | None = None,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        on_behalf_of: Any = None,
        language: str = "ca",
    ) -> None:
        self.transport_name = transport or settings.TRAMITS_API_TRANSPORT
        if self.transport_name not in ("http", "inprocess"):
            raise ValueError(f"Unknown TRAMITS_API_TRANSPORT {self.transport_name!r}")
        self.base_url = (base_url or settings.TRAMITS_API_URL).rstrip("/") + "/"
        self._token = token if token is not None else settings.TRAMITS_API_TOKEN
        self.timeout = timeout if timeout is not None else settings.TRAMITS_API_TIMEOUT
        self.on_behalf_of = getattr(on_behalf_of, "pk", on_behalf_of)
        self.language = language
        self._http: httpx.Client | None = None

    # Lifecycle

    def __enter__(self) -> "TramitsApiClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def as_user(self, user) -> "TramitsApiClient":
        """A client acting for `user` (X-On-Behalf-Of): the API applies that person's permissions."""
        return TramitsApiClient(
            transport=self.transport_name,
            base_url=self.base_url,
            token=self._token,
            timeout=self.timeout,
            on_behalf_of=user,
            language=self.language,
        )

    def _client(self) -> httpx.Client:
        if self._http is None:
            if self.transport_name == "inprocess":
                # httpx timeouts do not apply in process: the request runs on this thread.
                self._http = httpx.Client(base_url=self.base_url, transport=_InProcessTransport())
            else:
                self._http = httpx.Client(base_url=self.base_url, timeout=self.timeout)
        return self._http

    def _token_value(self) -> str:
        if not self._token and self.transport_name == "inprocess":
            from tramits.api.services import inprocess_token_ensure

            self._token = inprocess_token_ensure()
        return self._token

    # Plumbing

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: dict | None = None,
        data: dict | None = None,
        files: list | None = None,
        headers: dict | None = None,
    ) -> httpx.Response:
        _check_not_in_transaction()
        all_headers = {"Accept": "application/json", "Accept-Language": self.language, **(headers or {})}
        token = self._token_value()
        if token:
            all_headers["Authorization"] = f"Token {token}"
        if self.on_behalf_of is not None:
            all_headers[ON_BEHALF_OF_HEADER] = str(self.on_behalf_of)
        try:
            response = self._client().request(
                method,
                path.lstrip("/"),
                params={key: value for key, value in (params or {}).items() if value not in (None, "")},
                json=json,
                data=data,
                files=files,
                headers=all_headers,
            )
        except httpx.TransportError as error:
            logger.warning("api_client.unavailable transport=%s error=%s", self.transport_name, type(error).__name__)
            raise ApiUnavailable(str(error) or type(error).__name__) from error
        if response.status_code >= 500:
            logger.warning("api_client.server_error status=%s path=%s", response.status_code, path)
            raise ApiUnavailable(f"The API answered {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text[:500]}
            raise ApiRejected(
                response.status_code, str(body.get("detail", "")), str(body.get("code", "")), body.get("errors")
            )
        return response

    @staticmethod
    def _multipart(fields: dict, files: Sequence[tuple[str, FileInput]] = ()) -> list:
        """Form fields and files as multipart parts, so the body is multipart/form-data even without files."""
        parts: list = [(name, (None, str(value))) for name, value in fields.items() if value not in (None, "")]
        return parts + [(name, file) for name, file in files]

    @staticmethod
    def _page(data: dict, page: int, parse) -> Page:
        return Page(
            count=data["count"], page=page, has_next=bool(data["next"]), results=[parse(i) for i in data["results"]]
        )

    # Register

    def filing_create(
        self,
        *,
        idempotency_key: str,
        applicant_name: str,
        applicant_document_number: str,
        applicant_identified_by: str,
        subject: str,
        procedure_code: str,
        attachments: Sequence[FileInput] = (),
        channel: str = "electronic",
        applicant_document_type: str = "",
        representative_name: str = "",
        representative_document_number: str = "",
        representative_identified_by: str = "",
        representative_document_type: str = "",
        department: str = "",
        expedient_number: str = "",
        citizen: Any = None,
        language: str = "",
    ) -> FilingResult:
        """Register a filing and open its expedient; safe to repeat with the same key and the same data."""
        fields = {
            "channel": channel,
            "applicant_name": applicant_name,
            "applicant_document_type": applicant_document_type,
            "applicant_document_number": applicant_document_number,
            "applicant_identified_by": applicant_identified_by,
            "representative_name": representative_name,
            "representative_document_type": representative_document_type,
            "representative_document_number": representative_document_number,
            "representative_identified_by": representative_identified_by,
            "subject": subject,
            "procedure_code": procedure_code,
            "department": department,
            "expedient_number": expedient_number,
            "citizen": getattr(citizen, "pk", citizen),
            "language": language,
        }
        response = self._request(
            "POST",
            "registre/entrades/",
            files=self._multipart(fields, [("attachments", attachment) for attachment in attachments]),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        body = response.json()
        return FilingResult(
            entry=Entry.from_api(body["entry"]),
            expedient=ExpedientSummary.from_api(body["expedient"]),
            replayed=response.status_code == 200,
        )

    def entry_get(self, reference: str) -> Entry:
        return Entry.from_api(self._request("GET", f"registre/entrades/{reference}/").json())

    def receipt_download(self, reference: str) -> bytes:
        return self._request("GET", f"registre/entrades/{reference}/justificant/").content

    # Expedients

    def expedients_list(
        self,
        *,
        state: str | None = None,
        procedure: str | None = None,
        department: str | None = None,
        due_before: dt.date | None = None,
        overdue: bool = False,
        q: str | None = None,
        page: int = 1,
        page_size: int | None = None,
    ) -> Page[ExpedientSummary]:
        params = {
            "state": state,
            "procedure": procedure,
            "department": department,
            "due_before": due_before.isoformat() if due_before else None,
            "overdue": "true" if overdue else None,
            "q": q,
            "page": page,
            "page_size": page_size,
        }
        data = self._request("GET", "expedients/", params=params).json()
        return self._page(data, page, ExpedientSummary.from_api)

    def expedient_get(self, reference: str) -> Expedient:
        return Expedient.from_api(self._request("GET", f"expedients/{reference}/").json())

    def document_add(self, reference: str, *, title: str, file: FileInput, document_type: str = "altres") -> Document:
        response = self._request(
            "POST",
            f"expedients/{reference}/documents/",
            files=self._multipart({"title": title, "document_type": document_type}, [("file", file)]),
        )
        return Document.from_api(response.json())

    def document_download(self, reference: str, sequence: int) -> bytes:
        return self._request("GET", f"expedients/{reference}/documents/{sequence}/file/").content

    def expedient_transition(self, reference: str, *, to_state: str, reason: str = "") -> Expedient:
        response = self._request(
            "POST", f"expedients/{reference}/transitions/", json={"to_state": to_state, "reason": reason}
        )
        return Expedient.from_api(response.json())

    def expedient_resolve(self, reference: str, *, file: FileInput, title: str = "", summary: str = "") -> Expedient:
        response = self._request(
            "POST",
            f"expedients/{reference}/resolution/",
            files=self._multipart({"title": title, "summary": summary}, [("file", file)]),
        )
        return Expedient.from_api(response.json())

    def tasks_list(self, reference: str) -> list[Task]:
        return [Task.from_api(item) for item in self._request("GET", f"expedients/{reference}/tasks/").json()]

    def task_request(
        self, reference: str, *, to_department: str, kind: str, description: str, business_days: int = 10
    ) -> Task:
        payload = {
            "to_department": to_department,
            "kind": kind,
            "description": description,
            "business_days": business_days,
        }
        return Task.from_api(self._request("POST", f"expedients/{reference}/tasks/", json=payload).json())

    def task_answer(
        self, reference: str, task_id: int, *, answer: str, state: str = "done", report: FileInput | None = None
    ) -> Task:
        response = self._request(
            "POST",
            f"expedients/{reference}/tasks/{task_id}/answer/",
            files=self._multipart({"answer": answer, "state": state}, [("report", report)] if report else ()),
        )
        return Task.from_api(response.json())

    def timeline(self, reference: str, *, page: int = 1) -> Page[Event]:
        data = self._request("GET", f"expedients/{reference}/timeline/", params={"page": page}).json()
        return self._page(data, page, Event.from_api)


def api_client(**kwargs) -> TramitsApiClient:
    """The client configured by the settings; use it as a context manager."""
    return TramitsApiClient(**kwargs)
