"""Latency and SQL queries of La meva carpeta for a citizen with many expedients.

Usage: .venv/bin/python tests/benchmarks/bench_carpeta.py --output bench-carpeta.json

It builds a throwaway SQLite database in a temporary folder (or uses DATABASE_URL when it is set:
point it at a scratch database), runs the migrations, files the expedients through the services
(receipts stored directly, without rendering PDFs, so the build stays fast), then sends a fixed
number of GET requests per page through Django's test client, in process, one after another.
It reports p50 (the median), p95, mean and max in milliseconds and the queries of one request.
This is a measurement, not a test: nothing is asserted on the figures.
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("bench-carpeta.json"), help="the JSON report")
    parser.add_argument("--expedients", type=int, default=200, help="expedients of the citizen (default 200)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per page first (default 10)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one request to the home page")
    return parser.parse_args(argv)


def configure_environment(workdir: Path) -> None:
    os.environ.update(
        {
            "DEBUG": "0",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def build(expedients: int):
    """A department, a citizen, a represented person and the citizen's expedients, filed through the services."""
    from tramits.accounts.identity import check_letter
    from tramits.accounts.models import User
    from tramits.catalogue.models import Department
    from tramits.documents.models import DocumentType
    from tramits.documents.services import issued_document_create
    from tramits.expedients import services
    from tramits.registre import services as registre_services
    from tramits.registre.models import Channel, IdentificationMethod, Register
    from tramits.representacions.services import representation_accept, representation_request
    from tramits.terminis.calendar import holidays_seed

    def dni(number: int) -> str:
        digits = f"{number:08d}"
        return digits + check_letter(digits)

    year = datetime.now(UTC).year
    for each in (year - 1, year, year + 1):
        holidays_seed(year=each)
    department, _ = Department.objects.get_or_create(
        code="PADRO", defaults={"dir3": "LA0019781", "name_ca": "Padró d'habitants (OAC)", "name_es": "Padrón"}
    )
    run = int(time.time()) % 10_000_000
    citizen = User.objects.create_user(
        f"bench-{run}@example.org", first_name="Maria", last_name="Puig", document_type="dni", document_number=dni(run)
    )
    represented = dni(run + 50_000_000)
    representation = representation_request(
        representative=citizen, represented_name="Pere Roca", represented_document_number=represented
    )
    representation_accept(representation=representation, actor=None)

    # Receipts are rendered by a task after each filing; here they are stored directly, without a PDF engine.
    registre_services._receipt_queue = lambda entry_pk: None
    for number in range(expedients):
        document_number = represented if number % 20 == 19 else citizen.document_number
        entry = registre_services.register_entry_create(
            register=Register.INCOMING,
            channel=Channel.ELECTRONIC,
            applicant=registre_services.Party(
                name="Maria Puig", document_number=document_number, identified_by=IdentificationMethod.PASSWORD
            ),
            subject="Alta al padró",
            unit_dir3=department.dir3,
            procedure_code="PADRO-ALTA",
            attachments=[("contracte.pdf", f"%PDF-1.4 contracte {number}".encode(), "application/pdf")],
            submitted_by=citizen,
        )
        expedient = services.expedient_open(
            entry=entry,
            department=department,
            procedure_code="PADRO-ALTA",
            citizen=citizen if document_number == citizen.document_number else None,
        )
        if number % 5 == 0:
            issued_document_create(
                title=f"Justificant {entry.reference}",
                document_type=DocumentType.ACKNOWLEDGEMENT,
                content=b"%PDF-1.4 justificant",
                file_name=f"justificant-{entry.reference}.pdf",
                content_type="application/pdf",
                organ=department.dir3,
                register_entry=entry,
            )
        if number % 10 == 0:
            services.expedient_transition(expedient=expedient, to_state="en_tramitacio", actor=None)
            services.correction_request(expedient=expedient, actor=None, description="Falta el contracte signat.")
    return citizen, expedient


def measure(client, path: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection

    for _ in range(warmup):
        client.get(path)
    queries = []
    # An execute wrapper, not the debug query log, which every request_started signal empties.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        status = client.get(path).status_code
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "path": path,
        "status": status,
        "queries": len(queries),
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "max_ms": round(max(timings), 2),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-carpeta-") as tmp:
        configure_environment(Path(tmp))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import reverse

        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            migrated = time.perf_counter()
            citizen, last = build(args.expedients)
            built = time.perf_counter()
            client = Client()
            client.force_login(citizen)
            home = reverse("carpeta:home")
            pages = {
                "home": home,
                "home_page_8": home + "?pagina=8",
                "expedient": reverse("carpeta:expedient", kwargs={"reference": last.reference}),
            }
            results = {
                name: measure(client, path, requests=args.requests, warmup=args.warmup) for name, path in pages.items()
            }
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(client.get, home)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        report = {
            "benchmark": "carpeta",
            "finished_at": datetime.now(UTC).isoformat(),
            "database": connection.vendor,
            "python": platform.python_version(),
            "expedients": args.expedients,
            "transport": "in-process test client (no network), requests one after another",
            "seconds_migrate": round(migrated - started, 1),
            "seconds_build": round(built - migrated, 1),
            "pages": results,
        }
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for name, result in results.items():
        print(
            f"{name:12} status={result['status']} queries={result['queries']} "
            f"p50={result['p50_ms']}ms p95={result['p95_ms']}ms"
        )
    print(f"Report written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
