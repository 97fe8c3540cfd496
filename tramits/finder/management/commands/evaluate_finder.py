"""Print the finder's top-1 and top-3 accuracy and p95 latency on an evaluation set."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tramits.finder.evaluation import QUESTIONS, finder_evaluate, questions_load


class Command(BaseCommand):
    help = "Top-1 and top-3 accuracy and p95 latency of the procedure search on a question set."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=Path, default=QUESTIONS, help="YAML file: list of {q, lang, code}.")
        parser.add_argument("--misses", action="store_true", help="Also list the questions not answered first.")

    def handle(self, *args, questions: Path, misses: bool, **options):
        report = finder_evaluate(questions=questions_load(questions))
        self.stdout.write(f"questions: {len(report.cases)}")
        self.stdout.write(f"top-1 accuracy: {report.top1:.1%}")
        self.stdout.write(f"top-3 accuracy: {report.top3:.1%}")
        self.stdout.write(f"p95 latency: {report.p95_ms:.1f} ms")
        if misses:
            for case in report.misses:
                found = ", ".join(case.found) or "—"
                self.stdout.write(f"  [{case.language}] {case.question!r}: expected {case.expected}, got {found}")
