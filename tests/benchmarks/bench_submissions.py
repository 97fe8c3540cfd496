"""Submissions per second end to end on PostgreSQL: the wizard's final POST through the in-process API.

Usage: .venv/bin/python tests/benchmarks/bench_submissions.py --output bench-submissions.json

It creates a throwaway database `seu_bench_sub` (dropped at the end), migrates it, and for each
round fills GEN-INSTANCIA (with one PDF) for a set of citizens through the test client, then
times only the final POSTs: stored submission, register entry, expedient, receipt, e-mail (locmem).
Rounds run one after another and in parallel threads; the report gives medians over rounds.
This is a measurement, not a test: nothing is asserted on the figures.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "seu_bench_sub"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("bench-submissions.json"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--submissions", type=int, default=20, help="final POSTs per round (default 20)")
    parser.add_argument("--concurrency", type=int, default=4, help="threads of the parallel rounds (default 4)")
    return parser.parse_args(argv)


def psql(command: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qtAc", command], check=True, capture_output=True)


def setup(workdir: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"{PG}/{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "TRAMITS_API_TRANSPORT": "inprocess",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # The pages are rendered, not served: plain static URLs, no collected manifest needed.
    override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", interactive=False, verbosity=0)
    from tramits.catalogue.models import Department
    from tramits.catalogue.procedures import DEPARTMENTS
    from tramits.terminis.calendar import holidays_seed

    for code, dir3, name_ca, name_es, name_en in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"dir3": dir3, "name_ca": name_ca, "name_es": name_es, "name_en": name_en}
        )
    year = datetime.now(UTC).year
    for each in (year - 1, year, year + 1):
        holidays_seed(year=each)


_counter = iter(range(10_000_000, 99_999_999))
_lock = threading.Lock()


def ready_client():
    """A logged-in citizen whose GEN-INSTANCIA is filled up to the check page; returns (client, data)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tramits.accounts.identity import check_letter
    from tramits.accounts.models import User

    with _lock:
        number = next(_counter)
    digits = f"{number:08d}"
    user = User.objects.create_user(
        email=f"bench{number}@example.org",
        first_name="Bench",
        last_name=f"Citizen {number}",
        document_type="dni",
        document_number=digits + check_letter(digits),
    )
    client = Client()
    client.force_login(user)
    base = "/ca/tramitar/GEN-INSTANCIA/pas/"
    steps = [
        ("sollicitant", {"email": user.email}),
        ("sollicitud", {"subject": "Benchmark", "facts": "Fets.", "request": "Petició."}),
        ("documents", {"document_1": SimpleUploadedFile("doc.pdf", PDF, "application/pdf")}),
    ]
    for step, answers in steps:
        data = {"GEN-INSTANCIA-current_step": step, **{f"{step}-{k}": v for k, v in answers.items()}}
        response = client.post(base + step + "/", data)
        if response.status_code != 302:
            raise SystemExit(f"step {step} answered {response.status_code}")
    page = client.get(base + "revisio/").content.decode()
    key = re.search(r'name="draft_key" value="([^"]+)"', page)[1]
    return client, {"GEN-INSTANCIA-current_step": "revisio", "revisio-declaration": "on", "draft_key": key}


def final_post(prepared) -> tuple[float, bool]:
    from django.db import connections

    client, data = prepared
    started = time.perf_counter()
    response = client.post("/ca/tramitar/GEN-INSTANCIA/pas/revisio/", data)
    elapsed = time.perf_counter() - started
    ok = response.status_code == 302 and "/sollicitud/" in response["Location"]
    connections.close_all() if threading.current_thread() is not threading.main_thread() else None
    return elapsed, ok


def run_round(count: int, concurrency: int) -> dict:
    prepared = [ready_client() for _ in range(count)]
    started = time.perf_counter()
    if concurrency == 1:
        results = [final_post(item) for item in prepared]
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(final_post, prepared))
    seconds = time.perf_counter() - started
    latencies = sorted(result[0] * 1000 for result in results)
    return {
        "submissions": count,
        "errors": sum(not ok for _, ok in results),
        "seconds": round(seconds, 3),
        "submissions_per_second": round(count / seconds, 2),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)], 1),
    }


def main() -> int:
    args = parse_args()
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    report: dict = {
        "benchmark": "submissions",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": "postgresql",
        "api_transport": "inprocess",
        "python": platform.python_version(),
        "settings": vars(args) | {"output": str(args.output)},
    }
    try:
        with tempfile.TemporaryDirectory() as tmp:
            setup(Path(tmp))
            from django.db import connections

            from tramits.registre.models import RegisterEntry
            from tramits.submissions.models import Status, Submission

            run_round(2, 1)  # warm-up: templates, the service token, WeasyPrint fonts
            for mode, concurrency in (("sequential", 1), ("parallel", args.concurrency)):
                rounds = [run_round(args.submissions, concurrency) for _ in range(args.rounds)]
                report[mode] = {
                    "concurrency": concurrency,
                    "rounds": rounds,
                    "median_submissions_per_second": statistics.median(r["submissions_per_second"] for r in rounds),
                    "median_p50_ms": statistics.median(r["p50_ms"] for r in rounds),
                    "median_p95_ms": statistics.median(r["p95_ms"] for r in rounds),
                    "errors": sum(r["errors"] for r in rounds),
                }
            report["registered"] = Submission.objects.filter(status=Status.REGISTERED).count()
            report["submissions"] = Submission.objects.count()
            report["register_entries"] = RegisterEntry.objects.count()
            connections.close_all()
    finally:
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    args.output.write_text(json.dumps(report, indent=2))
    print(json.dumps({k: report[k] for k in ("sequential", "parallel") if k in report}, indent=2)[:1500])
    return 0


if __name__ == "__main__":
    sys.exit(main())
