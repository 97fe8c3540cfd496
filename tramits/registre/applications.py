"""The structured application filed with an entry (schema `seu.sollicitud/1`): its schema, and reading it.

The seu writes it on the final POST (`tramits.submissions.application`); the register keeps it as
the entry's first attachment; staff, the carpeta and the API read it here, in their own language.
"""

import json
from collections.abc import Sequence

import jsonschema

from tramits.registre.models import AttachmentKind, RegisterEntry

SCHEMA = "seu.sollicitud/1"
LANGUAGES = ("ca", "es", "en")


def in_language(texts: dict | str, language: str) -> str:
    """One language's text of a {"ca": …} mapping, Catalan when that language is missing."""
    if isinstance(texts, str):
        return texts
    return texts.get(language) or texts.get("ca") or next(iter(texts.values()), "")


def application_schema(*, procedure_code: str, steps: Sequence[str] | None = None) -> dict:
    """The JSON Schema of one procedure's application: the envelope, its code and the names of its steps."""
    texts = {
        "type": "object",
        "required": list(LANGUAGES[:1]),
        "properties": {code: {"type": "string"} for code in LANGUAGES},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{SCHEMA} {procedure_code}",
        "type": "object",
        "required": ["schema", "reference", "procedure", "language", "received_at", "applicant", "steps"],
        "properties": {
            "schema": {"const": SCHEMA},
            "reference": {"type": "string", "minLength": 1},
            "procedure": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"const": procedure_code}, "title": {"type": "object"}},
            },
            "language": {"enum": list(LANGUAGES)},
            "received_at": {"type": "string", "format": "date-time"},
            "applicant": {
                "type": "object",
                "required": ["name", "document_type", "document_number", "identified_by"],
            },
            "steps": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["step", "title", "fields"],
                    "properties": {
                        "step": {"enum": list(steps)} if steps else {"type": "string"},
                        "title": texts,
                        "fields": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["field", "label", "value", "display"],
                                "properties": {
                                    "field": {"type": "string"},
                                    "label": texts,
                                    "display": texts,
                                },
                            },
                        },
                    },
                },
            },
            "documents": {
                "type": "array",
                "items": {"type": "object", "required": ["step", "field", "name", "size", "sha256"]},
            },
        },
    }


def application_problem(*, document, procedure_code: str, steps: Sequence[str] | None = None) -> str:
    """What makes `document` not a valid application of the procedure, or "" when it is one."""
    try:
        jsonschema.validate(document, application_schema(procedure_code=procedure_code, steps=steps))
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "/"
        return f"{where}: {error.message}"[:300]
    return ""


def application_steps_in(*, document: dict, language: str) -> list[dict]:
    """The answers of a structured application in one language, for a screen or the PDF."""
    return [
        {
            "step": step["step"],
            "title": in_language(step["title"], language),
            "items": [
                {"label": in_language(item["label"], language), "value": in_language(item["display"], language)}
                for item in step["fields"]
            ],
        }
        for step in document.get("steps", [])
    ]


def entry_application(*, entry: RegisterEntry) -> dict | None:
    """The structured application filed with the entry, or None (a desk filing on paper has none)."""
    attachment = entry.attachments.filter(kind=AttachmentKind.APPLICATION_DATA).order_by("position").first()
    if attachment is None:
        return None
    with attachment.file.open("rb") as handle:
        return json.loads(handle.read().decode("utf-8"))
