"""Fixtures and a small driver shared by the wizard and submission tests."""

import io
import re
import socket

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.tramits.expedients.factories import dni
from tramits.accounts.models import User
from tramits.catalogue.models import Department
from tramits.catalogue.procedures import DEPARTMENTS
from tramits.terminis.calendar import holidays_seed

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 16
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32


def pdf(name: str = "contracte.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _register_in_process(settings):
    settings.REGISTRATION_BACKEND = "local"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLAMAV_ADDRESS = ""


def closed_port() -> int:
    """A loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def register_down(settings):
    """The `api` backend with the API at a port where nothing listens; call the result to register locally again."""
    settings.REGISTRATION_BACKEND = "api"
    settings.TRAMITS_API_URL = f"http://127.0.0.1:{closed_port()}/api/v1/"
    settings.TRAMITS_API_TIMEOUT = 1

    def back_up():
        settings.REGISTRATION_BACKEND = "local"

    return back_up


def queued(seu, code: str, steps=None):
    """File `code` through its wizard while the register is down (`register_down`): the stored, queued submission."""
    from tramits.submissions.models import Status, Submission

    wizard = Wizard(seu, code)
    wizard.fill(steps or happy_steps(code))
    wizard.submit()
    submission = Submission.objects.latest("pk")
    assert (submission.procedure_code, submission.status) == (code, Status.RECEIVED), submission.last_error
    return submission


@pytest.fixture
def departments(db):
    from wagtail.models import Locale

    for language in ("ca", "es", "en"):  # a transactional test elsewhere may have flushed them
        Locale.objects.get_or_create(language_code=language)
    return [
        Department.objects.get_or_create(
            code=code, defaults={"dir3": dir3, "name_ca": name_ca, "name_es": name_es, "name_en": name_en}
        )[0]
        for code, dir3, name_ca, name_es, name_en in DEPARTMENTS
    ]


@pytest.fixture
def calendar(db):
    for year in (2025, 2026, 2027, 2028):
        holidays_seed(year=year)


def make_citizen(email: str = "marta@example.org", number: int = 44_444_444, **extra) -> User:
    user = User.objects.create_user(
        email=email,
        password="Clau-de-prova-2026!",
        first_name="Marta",
        last_name="Puig i Solé",
        document_type="dni",
        document_number=dni(number),
        language=extra.pop("language", "ca"),
        **extra,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def citizen(db) -> User:
    return make_citizen()


@pytest.fixture
def seu(departments, calendar, citizen):
    """A logged-in citizen and the departments and calendar the register needs."""
    client = Client()
    client.force_login(citizen)
    return client


class Wizard:
    """Drives one procedure's wizard through the test client, as a browser would."""

    def __init__(self, client: Client, code: str, language: str = "ca"):
        self.client, self.code, self.language = client, code, language

    def url(self, step: str | None = None, query: str = "") -> str:
        base = f"/{self.language}/tramitar/{self.code}/"
        return (base + (f"pas/{step}/" if step else "")) + (f"?{query}" if query else "")

    def start(self, query: str = ""):
        return self.client.get(self.url(query=query))

    def data(self, step: str, answers: dict, management_step: str | None = None) -> dict:
        data = {f"{self.code}-current_step": management_step or step}
        for name, value in answers.items():
            data[f"{step}-{name}"] = value
        return data

    def post(self, step: str, answers: dict | None = None, files: dict | None = None, **extra):
        data = self.data(step, answers or {})
        for name, upload in (files or {}).items():
            data[f"{step}-{name}"] = upload
        data.update(extra)
        return self.client.post(self.url(step), data)

    def check_page(self):
        return self.client.get(self.url("revisio"))

    def submit(self, **extra):
        page = self.check_page()
        key = re.search(r'name="draft_key" value="([^"]+)"', page.content.decode())
        data = {"revisio-declaration": "on", **({"draft_key": key[1]} if key else {}), **extra}
        return self.client.post(self.url("revisio"), {f"{self.code}-current_step": "revisio", **data})

    def fill(self, steps: list[tuple[str, dict, dict]]):
        """Answer the steps in order; each must lead to the next one (a redirect)."""
        for step, answers, files in steps:
            fresh = {name: SimpleUploadedFile(f.name, f.read(), f.content_type) for name, f in files.items()}
            for f in files.values():
                f.seek(0)
            response = self.post(step, answers, fresh)
            assert response.status_code == 302, (step, _errors(response))
        return response


def _errors(response) -> str:
    content = response.content.decode()
    found = re.findall(r'class="error-message"[^>]*>(.*?)</p>', content, re.S)
    summary = re.findall(r"data-error-summary>(.*?)</div>", content, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", item) for item in found + summary)[:2000]


APPLICANT = {"email": "marta@example.org", "phone": "600000000"}
ADDRESS = {"street": "00380", "number": "12", "floor": "3r", "door": "2a"}

HAPPY_PATHS: dict[str, list[tuple[str, dict, dict]]] = {
    "PADRO-ALTA": [
        ("sollicitant", APPLICANT, {}),
        ("qui", {"who": "jo", "minors": "no"}, {}),
        (
            "procedencia",
            {"origin": "altre-municipi", "previous_municipality": "Balaguer", "previous_province": "Lleida"},
            {},
        ),
        ("adreca", ADDRESS, {}),
        ("acreditacio", {"path": "titol-o-lloguer"}, {}),
        ("document-habitatge", {}, {"housing_document": pdf("contracte-lloguer.pdf")}),
    ],
    "PADRO-NAIXEMENT": [
        ("sollicitant", APPLICANT, {}),
        (
            "nado",
            {
                "first_name": "Pau",
                "surnames": "Puig Vila",
                "birth_date": "__recent__",
                "sex": "home",
                "birthplace": "Lleida",
            },
            {},
        ),
        ("domicili", {"home": "el-meu"}, {}),
        ("progenitors", {"consent": "tots-dos", "other_parent_name": "Joan Vila"}, {}),
        ("document", {}, {"birth_document": pdf("llibre-familia.pdf")}),
    ],
    "PADRO-CANVI-DOMICILI": [
        ("sollicitant", APPLICANT, {}),
        ("ambit", {"scope": "lleida"}, {}),
        ("qui", {"who": "jo", "minors": "no"}, {}),
        ("adreca", ADDRESS, {}),
        ("acreditacio", {"path": "titol-o-lloguer"}, {}),
        ("document-habitatge", {}, {"housing_document": pdf()}),
    ],
    "PADRO-MODIFICACIO": [
        ("sollicitant", APPLICANT, {}),
        ("motiu", {"reason": "document", "person": "jo"}, {}),
        ("nou-document", {"document_number": "Y1234567X"}, {}),
        ("document", {}, {"supporting_document": pdf("nie.pdf")}),
    ],
    "PADRO-BAIXA": [
        ("sollicitant", APPLICANT, {}),
        ("motiu", {"reason": "estranger"}, {}),
        ("persona", {"full_name": "Marta Puig i Solé"}, {}),
        ("trasllat", {"country": "França", "moving_on": "2026-01-15"}, {}),
        ("adreca", ADDRESS, {}),
    ],
    "PADRO-AUTORITZACIO": [
        ("sollicitant", APPLICANT, {}),
        ("habitatge", {**ADDRESS, "capacity": "llogater"}, {}),
        ("persones", {"name_1": "Aina Serra", "birth_date_1": "1990-05-01", "document_1": "12345678Z"}, {}),
        ("documents", {}, {}),
    ],
    "GEN-INSTANCIA": [
        ("sollicitant", APPLICANT, {}),
        ("sollicitud", {"subject": "Còpia d'un plànol", "facts": "Necessito el plànol.", "request": "Una còpia."}, {}),
        ("documents", {}, {"document_1": pdf("plano.pdf")}),
    ],
    "GEN-QUEIXES": [
        ("sollicitant", APPLICANT, {}),
        ("tipus", {"kind": "suggeriment", "department": "MEDIAMBIENT"}, {}),
        ("detall", {"description": "Més papereres al parc.", "wants_answer": "no"}, {}),
        ("documents", {}, {}),
    ],
    "GEN-REPRESENTACIO": [
        ("sollicitant", APPLICANT, {}),
        ("representat", {"full_name": "Josep Puig", "document_type": "dni", "document_number": "12345678Z"}, {}),
        ("abast", {"scope": "un", "procedure": "PADRO-ALTA"}, {}),
        ("autoritzacio", {}, {"authorisation": pdf("autoritzacio.pdf")}),
    ],
    "MOB-GUAL": [
        ("sollicitant", APPLICANT, {}),
        ("sollicitud", {"subject": "Gual al carrer Major", "description": "Entrada de 3 metres per a 2 cotxes."}, {}),
        ("documents", {}, {"document_1": pdf("plano.pdf")}),
    ],
}


def happy_steps(code: str) -> list[tuple[str, dict, dict]]:
    import datetime as dt

    from django.utils import timezone

    recent = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    steps = []
    for step, answers, files in HAPPY_PATHS[code]:
        answers = {name: (recent if value == "__recent__" else value) for name, value in answers.items()}
        steps.append((step, answers, files))
    return steps


def file_like(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
