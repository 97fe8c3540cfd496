"""The application itself as part of the legal record: a structured document and its readable copy.

On the final POST the wizard's answers become a versioned JSON document (per step: the field, its
label and the value as typed, with labels and displayed values in Catalan, Spanish and English, so
a case handler reads them in their own language) and a "Sol·licitud" PDF in the citizen's
language. Both are filed with the register entry, with their SHA-256, before any uploaded file.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tramits.catalogue.procedures import get_procedure
from tramits.documents.pdf import pdf_render
from tramits.documents.storage import private_storage
from tramits.registre.applications import LANGUAGES, SCHEMA, application_steps_in, in_language
from tramits.terminis.calendar import format_official_instant

T = TypeVar("T")
FOLDER = "tramits/sollicituds"
DATA_NAME = "sollicitud.json"
STYLESHEET = "submissions/application.css"


@dataclass(frozen=True)
class StoredFile:
    name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def in_each_language(render: Callable[[], T]) -> dict[str, T]:
    """`render()` evaluated in each language of the seu: {"ca": …, "es": …, "en": …}."""
    values = {}
    for language in LANGUAGES:
        with translation.override(language):
            values[language] = render()
    return values


def application_document(
    *,
    reference: str,
    procedure_code: str,
    language: str,
    received_at: dt.datetime,
    applicant: dict,
    steps: Sequence[dict],
    documents: Sequence[dict],
    representative: dict | None = None,
) -> dict:
    """The structured application (schema `seu.sollicitud/1`): what the citizen answered, as filed."""
    procedure = get_procedure(procedure_code)
    return {
        "schema": SCHEMA,
        "reference": reference,
        "procedure": {
            "code": procedure_code,
            "title": {code: procedure.title(code) for code in LANGUAGES} if procedure else {},
        },
        "language": language,
        "received_at": received_at.isoformat(),
        "applicant": applicant,
        "representative": representative,
        "steps": list(steps),
        "documents": list(documents),
    }


def application_html(*, document: dict, language: str) -> str:
    procedure = document["procedure"]
    with translation.override(language):
        return render_to_string(
            "submissions/application.html",
            {
                "document": document,
                "title": _("Sol·licitud %(reference)s") % {"reference": document["reference"]},
                "procedure_title": in_language(procedure.get("title") or {}, language),
                "procedure_code": procedure["code"],
                "received_at": format_official_instant(dt.datetime.fromisoformat(document["received_at"])),
                "steps": application_steps_in(document=document, language=language),
            },
        )


def application_files_store(*, document: dict, language: str) -> tuple[StoredFile, StoredFile]:
    """Store the JSON document and its PDF copy in private storage, each hashed once."""
    data = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()
    pdf = pdf_render(html=application_html(document=document, language=language), stylesheets=(STYLESHEET,))
    with translation.override(language):
        pdf_name = _("sollicitud") + ".pdf"
    stored = []
    for name, content, content_type in ((DATA_NAME, data, "application/json"), (pdf_name, pdf, "application/pdf")):
        storage_name = private_storage().save(
            f"{FOLDER}/{document['reference']}-{name}", ContentFile(content, name=name)
        )
        stored.append(
            StoredFile(
                name=name,
                stored_name=storage_name,
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    return stored[0], stored[1]
