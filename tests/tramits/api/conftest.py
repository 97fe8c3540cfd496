"""Departments, people with their sessions, an internal system with its token, and helpers to file through the API."""

import itertools
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.helpers.auth import login_staff_with_mfa
from tests.tramits.expedients.factories import DepartmentFactory, UserFactory, dni
from tramits.api.models import Operation
from tramits.api.services import service_account_token_create
from tramits.expedients.selectors import user_department_ids

ENTRIES_URL = "/api/v1/registre/entrades/"
PDF = b"%PDF-1.4\n% a small test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _quick_receipts(request, monkeypatch):
    """A stand-in for the receipt's PDF rendering (its content is the register's tests' business).

    A test that asks for the `real_receipts` fixture renders the real one.
    """
    if "real_receipts" not in request.fixturenames:
        monkeypatch.setattr(
            "tramits.registre.services.receipt_pdf",
            lambda *, entry, csv: f"%PDF-1.4 justificant {entry.reference} {csv}".encode(),
        )


@pytest.fixture
def real_receipts():
    """Render real receipt PDFs in this test."""


def broker_citizen(**fields):
    """A citizen whose account came from the identity broker (VÀLid), so they are identified `oidc_valid`."""
    user = UserFactory(document_type="dni", **fields)
    SocialAccount.objects.create(user=user, provider="valid", uid=f"valid-{user.pk}")
    return user


@pytest.fixture
def people(db):
    """Staff of three departments, and two citizens from the identity broker with their DNI on the profile."""
    return {
        "owner": UserFactory(first_name="Anna"),
        "helper": UserFactory(first_name="Laia"),
        "outsider": UserFactory(first_name="Marc"),
        "citizen": broker_citizen(first_name="Maria", document_number=dni(11_111_111)),
        "other_citizen": broker_citizen(first_name="Joan", document_number=dni(22_222_222)),
    }


@pytest.fixture
def departments(people):
    return {
        "owner": DepartmentFactory(code="PADRO", staff=[people["owner"]]),
        "helper": DepartmentFactory(code="URBANISME", staff=[people["helper"]]),
        "outsider": DepartmentFactory(code="HISENDA", staff=[people["outsider"]]),
    }


@pytest.fixture
def service_token(db) -> str:
    """The token of a trusted internal system: every operation, every procedure."""
    return service_account_token_create(
        email="sistema@example.org", name="Sistema de proves", operations=Operation.values, all_procedures=True
    ).key


def client_for(token: str, *, on_behalf_of=None, language: str = "ca") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    if on_behalf_of is not None:
        client.defaults["HTTP_X_ON_BEHALF_OF"] = str(on_behalf_of.pk)
    return client


def session_client_for(user, *, language: str = "ca") -> APIClient:
    """A browser session on the API: citizens log in; staff log in with their second factor."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user_department_ids(user=user):
        login_staff_with_mfa(client, user)
    else:
        client.force_login(user)
    return client


@pytest.fixture
def api(people, departments, service_token, calendar_seeded) -> dict[str, APIClient]:
    """API clients by role: the internal system with its token, each person with their session."""
    clients = {"service": client_for(service_token)}
    for name, user in people.items():
        clients[name] = session_client_for(user)
    return clients


def pdf_upload(name: str = "contracte.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def filing_data(user=None, **overrides) -> dict:
    """A valid PADRO-ALTA filing for `user` (their DNI as the applicant's)."""
    data = {
        "applicant_name": "Maria Puig Soler",
        "applicant_document_number": getattr(user, "document_number", None) or dni(11_111_111),
        "applicant_identified_by": "oidc_valid",
        "subject": "Alta al padró",
        "procedure_code": "PADRO-ALTA",
        "attachments": [pdf_upload()],
    }
    data.update(overrides)
    return data


def new_key() -> str:
    return f"test-key-{next(_keys)}"


def file_through(client: APIClient, data: dict, key: str | None = None):
    return client.post(ENTRIES_URL, data, format="multipart", HTTP_IDEMPOTENCY_KEY=key or new_key())


def private_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
