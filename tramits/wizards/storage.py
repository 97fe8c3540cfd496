"""The wizards' storage: the answers live in a Draft row of the account, not in the session.

Saving at every step makes a draft resumable on another device. The storage prefix is the
procedure code; the request's user is the owner.
"""

import copy
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from formtools.wizard.storage.base import BaseStorage

from tramits.documents.storage import private_storage
from tramits.wizards.models import Draft
from tramits.wizards.uploads import upload_delete, upload_store

logger = logging.getLogger(__name__)
HASHES_KEY = "file_hashes"


class DraftStorage(BaseStorage):
    """formtools storage backed by `Draft` (one per user and procedure)."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage or private_storage())
        self.procedure_code = prefix
        self.user = request.user
        self.draft = Draft.objects.filter(user=self.user, procedure_code=prefix).first()
        if self.draft is not None:
            self.data = copy.deepcopy(self.draft.data) or {}
            for key in (self.step_data_key, self.step_files_key, self.extra_data_key):
                self.data.setdefault(key, {})
            self.data.setdefault(self.step_key, None)
        else:
            self.init_data()
        self._saved = copy.deepcopy(self.data)
        self.discarded = False

    def get_step_files(self, step):
        files = super().get_step_files(step)
        stored = self.data[self.step_files_key].get(step, {})
        for field, upload in (files or {}).items():
            upload.seu_checked = True
            upload.seu_stored_name = stored[field]["tmp_name"]
        return files

    def set_step_files(self, step, files):
        """Store the new uploads under generated names; a replaced upload's old file is deleted."""
        previous = self.data[self.step_files_key].get(step, {})
        self.data[self.step_files_key].setdefault(step, {})
        for field, upload in (files or {}).items():
            if getattr(upload, "seu_stored_name", None):
                continue
            stored, sha256 = upload_store(upload)
            if field in previous and previous[field].get("tmp_name") != stored:
                self._tmp_files.append(previous[field]["tmp_name"])
            self.data[self.step_files_key][step][field] = {
                "tmp_name": stored,
                "name": upload.name,
                "content_type": upload.content_type,
                "size": upload.size,
                "charset": None,
            }
            # Beside the file's entry, which formtools turns into UploadedFile arguments.
            self.data.setdefault(HASHES_KEY, {})[stored] = sha256

    def file_total(self, *, except_step: str | None = None) -> int:
        return sum(
            item.get("size", 0)
            for step, step_files in self.data[self.step_files_key].items()
            if step != except_step
            for item in step_files.values()
        )

    def stored_files(self) -> dict[str, dict[str, dict]]:
        """Each step's stored files, with the SHA-256 taken when they were received."""
        files = copy.deepcopy(self.data[self.step_files_key])
        hashes = self.data.get(HASHES_KEY, {})
        for step_files in files.values():
            for meta in step_files.values():
                meta["sha256"] = hashes.get(meta["tmp_name"], "")
        return files

    def discard(self) -> None:
        """Forget the draft's answers: the submission took its files, or the citizen started again."""
        self.discarded = True
        self.init_data()
        self._saved = copy.deepcopy(self.data)

    def _persist(self) -> None:
        if self.discarded or self.data == self._saved:
            return
        now = timezone.now()
        # Answers, or what the finder preselected: both are worth keeping for the next visit.
        has_answers = bool(self.data[self.step_data_key]) or bool(self.data[self.extra_data_key])
        if self.draft is not None:
            if has_answers:
                updated = Draft.objects.filter(pk=self.draft.pk).update(data=self.data, updated_at=now)
                if not updated:  # filed or cleaned meanwhile by another request
                    return
            else:
                Draft.objects.filter(pk=self.draft.pk).delete()
        elif has_answers:
            try:
                with transaction.atomic():
                    self.draft = Draft.objects.create(
                        user=self.user, procedure_code=self.procedure_code, data=self.data, updated_at=now
                    )
            except IntegrityError:
                # Another tab or device created it first; theirs is kept, this step is saved on top.
                Draft.objects.filter(user=self.user, procedure_code=self.procedure_code).update(
                    data=self.data, updated_at=now
                )
        self._saved = copy.deepcopy(self.data)

    def update_response(self, response):
        self._persist()
        # The files of a reset draft are not deleted here: a submission may own them now.
        replaced, self._tmp_files = self._tmp_files, []
        super().update_response(response)
        for name in replaced:
            if not self.discarded:
                upload_delete(name)

    def reset(self):
        """Start again without deleting files (formtools calls this after `done`)."""
        self.init_data()


def open_stored_file(name: str, meta: dict) -> UploadedFile:
    upload = UploadedFile(
        file=private_storage().open(name), name=meta["name"], content_type=meta["content_type"], size=meta["size"]
    )
    upload.seu_checked = True
    return upload
