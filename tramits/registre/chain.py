"""The hash chain of the register: each entry's HMAC covers its content and the previous entry's hash."""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from tramits.registre.models import RegisterAttachment, RegisterEntry

ENTRY_FIELDS = [
    "register",
    "year",
    "number",
    "reference",
    "registered_at",
    "effective_at",
    "channel",
    "language",
    "applicant_name",
    "applicant_document_type",
    "applicant_document_number",
    "applicant_identified_by",
    "representative_name",
    "representative_document_type",
    "representative_document_number",
    "representative_identified_by",
    "subject",
    "procedure_code",
    "unit_dir3",
    "unit_name",
    "submitted_by_id",
]
ATTACHMENT_FIELDS = ["position", "name", "size", "content_type", "sha256"]
# Added later: chained only when set, so entries written before them keep their hashes.
OPTIONAL_ENTRY_FIELDS = ["receipt_csv", "received_at"]
OPTIONAL_ATTACHMENT_FIELDS = {"kind": "document"}


def _key() -> bytes:
    return settings.REGISTRE_CHAIN_KEY.encode()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def genesis_hash(*, register: str, year: int) -> str:
    """The value the first entry of a register's year links to."""
    return hmac.new(_key(), f"seu-registre-genesi|{register}|{year}".encode(), hashlib.sha256).hexdigest()


def canonical_content(entry: RegisterEntry, attachments: Iterable[RegisterAttachment]) -> bytes:
    """The entry's content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    content = {name: _plain(getattr(entry, name)) for name in ENTRY_FIELDS}
    content.update({name: _plain(getattr(entry, name)) for name in OPTIONAL_ENTRY_FIELDS if getattr(entry, name, None)})
    content["attachments"] = [
        {
            **{name: getattr(attachment, name) for name in ATTACHMENT_FIELDS},
            **{
                name: getattr(attachment, name)
                for name, default in OPTIONAL_ATTACHMENT_FIELDS.items()
                if getattr(attachment, name, default) != default
            },
        }
        for attachment in sorted(attachments, key=lambda item: item.position)
    ]
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(*, previous_hash: str, content: bytes) -> str:
    return hmac.new(_key(), previous_hash.encode() + b"\n" + content, hashlib.sha256).hexdigest()
