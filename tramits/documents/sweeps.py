"""The daily sweep of private storage: files no row refers to, left by a request or a task that stopped halfway.

A file is stored before the row that refers to it is committed (so that no lock is held while
a file is copied and hashed), and the writer deletes it when the transaction does not commit.
A process that dies in between leaves the file behind; this sweep deletes those orphans once
they are old enough that no filing still in progress can claim them.
"""

import datetime as dt
import logging
import os
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.utils import timezone

from tramits.documents.models import IssuedDocument, issued_document_path
from tramits.documents.storage import private_storage
from tramits.expedients.models import ExpedientDocument, expedient_document_path
from tramits.registre.models import RegisterAttachment, attachment_path
from tramits.submissions.application import FOLDER as APPLICATION_FOLDER
from tramits.submissions.models import SubmissionFile
from tramits.wizards.models import Draft
from tramits.wizards.uploads import UPLOAD_FOLDER

logger = logging.getLogger(__name__)

BATCH = 500


def swept_folders() -> list[str]:
    """The folders the rows' files live in: the register's, the expedients', the issued documents', the wizards'."""
    by_models = [path(None, "file").split("/", 1)[0] for path in (attachment_path, expedient_document_path)]
    by_models.append(issued_document_path(None, "file").split("/", 1)[0])
    return [*by_models, UPLOAD_FOLDER, APPLICATION_FOLDER]


def _files_under(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from _files_under(storage, f"{folder}/{name}")


def _referenced(names: list[str]) -> set[str]:
    """Those of `names` that a register attachment, an expedient document, a submission or an issued document holds."""
    found: set[str] = set()
    for start in range(0, len(names), BATCH):
        batch = names[start : start + BATCH]
        for model in (SubmissionFile, RegisterAttachment, ExpedientDocument, IssuedDocument):
            found.update(model.objects.filter(file__in=batch).values_list("file", flat=True))
    return found


def _held_by_drafts() -> set[str]:
    names: set[str] = set()
    for draft in Draft.objects.only("data").iterator(chunk_size=BATCH):
        names.update(draft.stored_file_names())
    return names


def _remove_empty_folders(storage: Storage, name: str, top: str) -> None:
    """On a local disk, the emptied folder of a file (`registre/2026/05/<uuid>/`); object stores have none."""
    try:
        folder = os.path.dirname(storage.path(name))
        root = storage.path(top)
    except NotImplementedError:
        return
    while folder.startswith(root) and folder != root:
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def orphan_files_delete(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the files of the swept folders that no row refers to and are older than `older_than`; safe to run twice.

    The references are read after the old files are listed, so a row committed meanwhile keeps its file;
    files move only from a draft to a submission and from there to the register, and are read in that order.
    """
    storage = private_storage()
    cutoff = (now or timezone.now()) - older_than
    old: list[tuple[str, str]] = []
    for folder in swept_folders():
        for name in _files_under(storage, folder):
            try:
                modified = storage.get_modified_time(name)
            except FileNotFoundError:
                continue  # deleted meanwhile
            if modified < cutoff:
                old.append((folder, name))
    if not old:
        return 0
    # Drafts first: a draft hands its files to a submission, so a file is seen in one or the other.
    kept = _held_by_drafts()
    kept |= _referenced([name for _folder, name in old if name not in kept])
    deleted = 0
    for folder, name in old:
        if name in kept:
            continue
        storage.delete(name)
        _remove_empty_folders(storage, name, folder)
        deleted += 1
    if deleted:
        logger.info("documents.orphan_files_deleted count=%s", deleted)
    return deleted
