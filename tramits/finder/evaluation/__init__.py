"""Measuring the finder's search on citizens' questions: top-1, top-3 and latency."""

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tramits.finder.selectors import procedure_search

QUESTIONS = Path(__file__).parent / "questions.yaml"


@dataclass
class Case:
    question: str
    language: str
    expected: str
    found: list[str]
    milliseconds: float


@dataclass
class EvaluationReport:
    cases: list[Case] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return sum(case.found[:1] == [case.expected] for case in self.cases) / len(self.cases)

    @property
    def top3(self) -> float:
        return sum(case.expected in case.found[:3] for case in self.cases) / len(self.cases)

    @property
    def p95_ms(self) -> float:
        times = sorted(case.milliseconds for case in self.cases)
        return times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]

    @property
    def misses(self) -> list[Case]:
        return [case for case in self.cases if case.found[:1] != [case.expected]]


def questions_load(path: Path = QUESTIONS) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def finder_evaluate(*, questions: list[dict]) -> EvaluationReport:
    """Run every question through the search, as the API does, timing each one."""
    procedure_search(query="padró", language="ca")  # build the index outside the timings
    report = EvaluationReport()
    for item in questions:
        started = time.perf_counter()
        hits = procedure_search(query=item["q"], language=item["lang"], limit=3)
        elapsed = (time.perf_counter() - started) * 1000
        report.cases.append(
            Case(
                question=item["q"],
                language=item["lang"],
                expected=item["code"],
                found=[hit.code for hit in hits],
                milliseconds=elapsed,
            )
        )
    return report
