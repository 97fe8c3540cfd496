"""Reads of the register, including the verification of its hash chains."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from tramits.documents.models import DocumentType, IssuedDocument
from tramits.registre.chain import canonical_content, entry_hash, genesis_hash
from tramits.registre.models import Register, RegisterCounter, RegisterEntry
from tramits.terminis.calendar import official_date


def register_entry_get(*, reference: str) -> RegisterEntry | None:
    return RegisterEntry.objects.select_related("unit").filter(reference=reference.strip().upper()).first()


def register_entries_without_receipt() -> QuerySet[RegisterEntry]:
    """Incoming entries whose receipt was never rendered, oldest first."""
    receipts = IssuedDocument.objects.filter(register_entry=OuterRef("pk"), document_type=DocumentType.ACKNOWLEDGEMENT)
    return (
        RegisterEntry.objects.filter(register=Register.INCOMING)
        .exclude(Exists(receipts))
        .order_by("registered_at", "pk")
    )


@dataclass(frozen=True)
class ChainProblem:
    register: str
    year: int
    reference: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reference}: {self.reason}"


@dataclass(frozen=True)
class ChainSummary:
    register: str
    year: int
    entries: int


def _chain_years() -> list[tuple[str, int]]:
    entry_years = set(RegisterEntry.objects.values_list("register", "year").distinct())
    counter_years = set(RegisterCounter.objects.values_list("register", "year"))
    return sorted(entry_years | counter_years)


def _chain_problem(register: str, year: int) -> tuple[ChainProblem | None, int]:
    """The first problem of one register's year, walking its entries in number order."""

    def problem(number: int, reason: str) -> tuple[ChainProblem, int]:
        return ChainProblem(register, year, f"{register}-{year}-{number:06d}", reason), count

    entries: Iterator[RegisterEntry] = (
        RegisterEntry.objects.filter(register=register, year=year)
        .order_by("number")
        .prefetch_related("attachments")
        .iterator(chunk_size=500)
    )
    previous: RegisterEntry | None = None
    count = 0
    expected_link = genesis_hash(register=register, year=year)
    for entry in entries:
        count += 1
        expected_number = previous.number + 1 if previous else 1
        if entry.number != expected_number:
            return problem(expected_number, "number missing: an entry was deleted")
        if entry.previous_hash != expected_link:
            return problem(entry.number, "link mismatch: entries were swapped, reordered or removed")
        if previous is not None and entry.registered_at < previous.registered_at:
            return problem(entry.number, "order mismatch: the timestamp is earlier than the previous entry's")
        if (
            entry.reference != f"{register}-{year}-{entry.number:06d}"
            or official_date(entry.registered_at).year != year
        ):
            return problem(entry.number, "reference mismatch: number, year or timestamp were changed")
        if entry.entry_hash != entry_hash(
            previous_hash=entry.previous_hash, content=canonical_content(entry, entry.attachments.all())
        ):
            return problem(entry.number, "hash mismatch: the content was changed")
        previous, expected_link = entry, entry.entry_hash
    counter = RegisterCounter.objects.filter(register=register, year=year).first()
    last_number = previous.number if previous else 0
    if counter is None and last_number:
        return problem(last_number, "counter missing")
    if counter is not None and counter.next_number != last_number + 1:
        if counter.next_number > last_number + 1:
            return problem(last_number + 1, "number missing: the last entries were deleted")
        return problem(counter.next_number, "counter behind the entries: the counter was changed")
    return None, count


def register_chains_verify() -> tuple[list[ChainSummary], ChainProblem | None]:
    """Check every chain and counter; return the chains checked and the first problem found, if any."""
    summaries = []
    for register, year in _chain_years():
        problem, count = _chain_problem(register, year)
        if problem is not None:
            return summaries, problem
        summaries.append(ChainSummary(register, year, count))
    return summaries, None
