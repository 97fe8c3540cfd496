"""The orphan files sweep: old files no row refers to go; young ones and referenced ones stay; twice is harmless."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.tramits.expedients.factories import ExpedientFactory, UserFactory
from tramits.documents.models import DocumentType, IssuedDocument
from tramits.documents.services import issued_document_create
from tramits.documents.storage import private_storage
from tramits.documents.sweeps import orphan_files_delete, swept_folders
from tramits.expedients.models import ExpedientDocument
from tramits.registre.models import RegisterAttachment
from tramits.submissions.models import Submission, SubmissionFile
from tramits.wizards.models import Draft

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def stored(name: str, *, age: dt.timedelta = dt.timedelta(days=3)) -> str:
    """A file in private storage whose modified time is `age` ago."""
    name = private_storage().save(name, ContentFile(b"%PDF-1.4 x"))
    moment = (timezone.now() - age).timestamp()
    os.utime(private_storage().path(name), (moment, moment))
    return name


def exists(name: str) -> bool:
    return private_storage().exists(name)


def age(name: str, days: int = 3) -> str:
    moment = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(private_storage().path(name), (moment, moment))
    return name


def test_the_swept_folders_are_those_the_rows_store_their_files_in():
    assert swept_folders() == ["registre", "expedients", "documents", "tramits/uploads", "tramits/sollicituds"]


def test_old_orphans_go_and_young_ones_stay():
    orphans = [stored(f"{folder}/2026/01/abc/orfe.pdf") for folder in ("registre", "expedients", "documents")]
    orphans += [stored("tramits/uploads/0123.pdf"), stored("tramits/sollicituds/S-1-sollicitud.json")]
    young = stored("tramits/uploads/jove.pdf", age=dt.timedelta(hours=20))
    elsewhere = stored("altres/vell.pdf")
    assert orphan_files_delete(older_than=DAY) == len(orphans)
    assert not any(exists(name) for name in orphans)
    assert exists(young) and exists(elsewhere)
    assert not Path(private_storage().path("registre/2026")).exists()  # emptied folders go too


def test_files_a_row_refers_to_stay():
    expedient = ExpedientFactory()
    [attachment] = RegisterAttachment.objects.all()
    issued = issued_document_create(
        title="Certificat",
        document_type=DocumentType.CERTIFICATE,
        content=b"%PDF-1.7 certificat",
        file_name="certificat.pdf",
        content_type="application/pdf",
        organ="LA0019781",
    )
    citizen = UserFactory()
    submission = Submission.objects.create(
        procedure_code="GEN-INSTANCIA", user=citizen, subject="Instància", idempotency_key="clau"
    )
    submitted = stored("tramits/uploads/enviat.pdf")
    SubmissionFile.objects.create(
        submission=submission,
        step="documents",
        field="document_1",
        label="Document",
        file=submitted,
        name="enviat.pdf",
        content_type="application/pdf",
        size=10,
    )
    drafted = stored("tramits/uploads/esborrany.pdf")
    Draft.objects.create(
        user=citizen,
        procedure_code="GEN-INSTANCIA",
        data={"step_files": {"documents": {"documents-document_1": {"tmp_name": drafted}}}},
    )
    referenced = [attachment.file.name, issued.file.name, submitted, drafted]
    referenced += [document.file.name for document in ExpedientDocument.objects.filter(expedient=expedient)]
    for name in referenced:
        age(name)
    orphan = stored("registre/2026/01/def/orfe.pdf")
    assert orphan_files_delete(older_than=DAY) == 1
    assert not exists(orphan)
    assert all(exists(name) for name in referenced)
    assert IssuedDocument.objects.filter(pk=issued.pk).exists()


def test_running_twice_deletes_nothing_more():
    stored("tramits/uploads/orfe.pdf")
    assert orphan_files_delete(older_than=DAY) == 1
    assert orphan_files_delete(older_than=DAY) == 0


def test_now_decides_what_is_old():
    name = stored("tramits/uploads/avui.pdf", age=dt.timedelta(hours=1))
    assert orphan_files_delete(older_than=DAY) == 0
    assert orphan_files_delete(older_than=DAY, now=timezone.now() + DAY) == 1
    assert not exists(name)


def test_an_empty_storage_is_fine():
    assert orphan_files_delete(older_than=DAY) == 0


def test_the_sweep_is_a_daily_periodic_task():
    from portal.celery import app
    from tramits.documents.tasks import orphan_files_sweep

    schedule = app.conf.beat_schedule["documents-orphan-files-sweep"]
    assert schedule["task"] == "tramits.documents.tasks.orphan_files_sweep"
    assert schedule["schedule"].hour == {4}
    stored("documents/2026/01/abc/orfe.pdf")
    assert orphan_files_sweep.apply().get() == 1
