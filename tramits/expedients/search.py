"""The normalised text that list searches match: reference, names and document numbers."""

import re
import unicodedata
from collections.abc import Iterable

from tramits.accounts.identity import normalise as normalise_document

SEARCH_TEXT_LENGTH = 600


def normalise_search(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces: `Martí-Pérez` -> `marti perez`."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def search_text_build(*, reference: str, names: Iterable[str], document_numbers: Iterable[str]) -> str:
    parts = [normalise_search(reference)]
    parts += [normalise_search(name) for name in names]
    parts += [normalise_document(number).lower() for number in document_numbers]
    return " | ".join(part for part in parts if part)[:SEARCH_TEXT_LENGTH]


def search_terms(query: str) -> list[str]:
    """The forms of a query to look for: as words, and as a document number written with dots or dashes."""
    terms = [normalise_search(query)]
    compact = normalise_document(query).lower()
    if compact and compact not in terms and compact.isalnum():
        terms.append(compact)
    return [term for term in terms if term]
