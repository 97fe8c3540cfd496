import hashlib
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from freezegun import freeze_time

from tests.tramits.expedients.factories import ExpedientFactory, RegisterEntryFactory, pdf
from tramits.documents.services import issued_document_create
from tramits.expedients import services
from tramits.expedients.models import ExpedientDocument
from tramits.expedients.selectors import expedient_index, expedient_index_export, index_hash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def expedient(people, departments):
    with freeze_time("2026-03-10 09:00:00+00:00"):
        return ExpedientFactory(department=departments["owner"], in_progress=True)


def test_documents_carry_nti_metadata_and_live_in_private_storage(expedient, people, settings):
    content = b"%PDF-1.4 informe"
    with freeze_time("2026-03-11 09:00:00+00:00"):
        document = services.document_add(
            expedient=expedient,
            actor=people["owner"],
            title="Informe del padró",
            document_type="informe",
            upload=("informe.pdf", content, "application/pdf"),
        )
    dir3 = expedient.department.dir3
    assert document.sequence == 2  # the application document of the entry is the first
    assert document.identifier == f"ES_{dir3}_2026_EXP000001_0002"
    assert (document.organ, document.origin, document.production_state) == (dir3, "administration", "original")
    assert (document.file_format, document.content_type, document.size) == ("PDF", "application/pdf", len(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.nti_document_type == "TD13"
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name
    assert stored.read_bytes() == content
    assert document.captured_at.isoformat().startswith("2026-03-11")


def test_an_issued_document_keeps_its_csv_and_file(expedient, people):
    issued = issued_document_create(
        title="Certificat",
        document_type="TD11",
        content=b"%PDF-1.4 certificat",
        file_name="certificat.pdf",
        content_type="application/pdf",
        organ=expedient.department.dir3,
    )
    document = services.document_add(
        expedient=expedient, actor=people["owner"], title="Certificat", document_type="altres", issued_document=issued
    )
    assert (document.csv, document.sha256, document.file.name) == (issued.csv, issued.sha256, issued.file.name)
    assert document.issued_document == issued


def test_a_document_needs_exactly_one_source(expedient, people):
    with pytest.raises(services.ExpedientInvalid):
        services.document_add(expedient=expedient, actor=people["owner"], title="Res", document_type="altres")
    with pytest.raises(services.ExpedientInvalid):
        services.document_add(
            expedient=expedient,
            actor=people["owner"],
            title="Buit",
            document_type="altres",
            upload=("b.pdf", b"", "a/b"),
        )
    with pytest.raises(services.ExpedientInvalid):
        services.document_add(
            expedient=expedient, actor=people["owner"], title="X", document_type="inventat", upload=pdf("x")
        )
    assert expedient.documents.count() == 1


def test_an_archived_expedient_takes_no_more_documents(people, departments):
    expedient = ExpedientFactory(department=departments["owner"], archived=True)
    with pytest.raises(services.ExpedientClosed):
        services.document_add(
            expedient=expedient, actor=people["owner"], title="Tard", document_type="altres", upload=pdf("tard")
        )


def test_resolution_is_registered_in_the_outgoing_register_and_linked(expedient, people):
    services.expedient_resolve(expedient=expedient, actor=people["owner"], title="Resolució", resolution=pdf("res"))
    expedient.refresh_from_db()
    entry = expedient.resolution_entry
    assert (entry.register, entry.procedure_code, entry.unit_dir3) == ("S", "PADRO-ALTA", expedient.department.dir3)
    resolution = expedient.documents.get(document_type="resolucio")
    assert resolution.register_entry == entry
    assert entry.attachments.get().sha256 == resolution.sha256
    assert expedient.resolved_at is not None


def test_resolution_accepts_an_entry_the_caller_registered(expedient, people):
    outgoing = RegisterEntryFactory(unit=expedient.department, register="S", subject="Resolució")
    services.expedient_resolve(
        expedient=expedient, actor=people["owner"], resolution=pdf("res"), outgoing_entry=outgoing
    )
    assert expedient.resolution_entry == outgoing


def test_index_lists_documents_in_order_with_their_hashes(expedient, people):
    for name in ("informe", "nota"):
        services.document_add(
            expedient=expedient, actor=people["owner"], title=name, document_type="altres", upload=pdf(name)
        )
    index = expedient_index(expedient=expedient)
    documents = list(ExpedientDocument.objects.filter(expedient=expedient).order_by("sequence"))
    assert [item.sequence for item in index.items] == [1, 2, 3]
    assert [item.sha256 for item in index.items] == [document.sha256 for document in documents]
    assert index.index_sha256 == index_hash(reference=expedient.reference, items=index.items)
    # The index hash changes when any document's hash changes.
    ExpedientDocument.objects.filter(pk=documents[1].pk).update(sha256="0" * 64)
    assert expedient_index(expedient=expedient).index_sha256 != index.index_sha256


def test_index_exports_carry_the_index_hash(expedient, people):
    services.document_add(
        expedient=expedient, actor=people["owner"], title="=HYPERLINK(x)", document_type="altres", upload=pdf("n")
    )
    index = expedient_index(expedient=expedient)

    content, content_type = expedient_index_export(expedient=expedient, export_format="json")
    exported = json.loads(content)
    assert content_type == "application/json"
    assert exported["index_sha256"] == index.index_sha256
    assert [item["sha256"] for item in exported["items"]] == [item.sha256 for item in index.items]

    content, _ = expedient_index_export(expedient=expedient, export_format="xml")
    root = ElementTree.fromstring(content)
    assert root.get("sha256") == index.index_sha256
    assert [node.findtext("sha256") for node in root.findall("document")] == [item.sha256 for item in index.items]

    content, _ = expedient_index_export(expedient=expedient, export_format="csv")
    text = content.decode()
    assert index.index_sha256 in text
    assert "'=HYPERLINK(x)" in text  # a title is never read as a spreadsheet formula
    with pytest.raises(ValueError, match="format"):
        expedient_index_export(expedient=expedient, export_format="docx")
