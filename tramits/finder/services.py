"""Writes of the finder: the only thing it keeps is the text of a question to the assistant."""

import re

from tramits.finder.models import AssistantQuestion

# Identifiers, e-mail addresses, phone and account numbers never reach the database.
_PERSONAL = [
    re.compile(r"\b[0-9XYZxyz][0-9]{7}[A-Za-z]\b"),
    re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    re.compile(r"\b[A-Za-z]{2}[0-9]{2}(?:\s?[0-9A-Za-z]{4}){4,7}\b"),
    re.compile(r"(?:\+?\d[\s.-]?){9,}"),
]


def assistant_question_record(*, text: str) -> AssistantQuestion | None:
    """Keep the question text, with anything that looks like personal data blanked out."""
    for pattern in _PERSONAL:
        text = pattern.sub("***", text)
    text = text.strip()[:500]
    if not text:
        return None
    return AssistantQuestion.objects.create(text=text)
