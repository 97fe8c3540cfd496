"""Filings per second through the internal API on gunicorn and PostgreSQL, beside the register's own ceiling.

Usage: .venv/bin/python tests/benchmarks/bench_api.py --output bench-api.json

A throwaway database `seu_bench_api` on 127.0.0.1 (user postgres) is created, migrated and dropped
at the end. In order:

1. The ceiling: the register's counter-row transaction, bare (psycopg, `--clients` connections,
   the median of a few rounds). No filing can go faster on this database.
2. gunicorn (`--workers` sync workers) in the embedded default, where each receipt's PDF is rendered
   by the worker just after its answer: the `/healthz` rate (the HTTP ceiling of this server), then
   `--rounds` rounds of `--round-seconds` from `--clients` client threads, each a multipart POST to
   `/api/v1/registre/entrades/` with one PDF attachment and a fresh Idempotency-Key, with an internal
   system's token. The figure is the median round; latencies are over all rounds; CPU per filing is
   split between the servers, PostgreSQL, the load generator and the rest of the (shared) machine.
3. The same server with the receipts queued for a Celery worker (an in-memory broker and no worker,
   so the figure is the web tier's alone; a real worker would take its CPU from the same cores).
4. A cProfile of one worker over `--profile-filings` filings (top 10 cumulative entries), and the SQL
   queries of one filing counted in process. A figure far below its target gets a `bounded_by` note.

This is a measurement, not a test: nothing is asserted on the figures. It stops by itself.
"""

import argparse
import json
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import harness

DATABASE = "seu_bench_api"
PDF = b"%PDF-1.4\n% benchmark attachment\n" + b"0" * 20_000
ENTRIES = "/api/v1/registre/entrades/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("bench-api.json"), help="the JSON report")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, as the Procfile (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--filings", type=int, default=2000, help="at most this many filings per round")
    parser.add_argument("--round-seconds", type=float, default=5.0, help="no filing starts after this (default 5)")
    parser.add_argument("--profile-filings", type=int, default=12, help="filings of the profiled worker")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one request")
    return parser.parse_args(argv)


def citizen_create() -> int:
    from tests.tramits.expedients.factories import dni
    from tramits.accounts.models import User

    citizen, _created = User.objects.get_or_create(
        email="bench-citizen@example.org", defaults={"document_type": "dni", "document_number": dni(12_345_678)}
    )
    return citizen.pk


def filing_fields(citizen_id: int) -> dict[str, str]:
    from tests.tramits.expedients.factories import dni

    return {
        "applicant_name": "Maria Puig Soler",
        "applicant_document_number": dni(12_345_678),
        "applicant_identified_by": "oidc_valid",
        "subject": "Alta al padró",
        "procedure_code": "PADRO-ALTA",
        "citizen": str(citizen_id),
    }


def filing_sender(base_url: str, token: str, citizen_id: int):
    fields = [(name, (None, value)) for name, value in filing_fields(citizen_id).items()]

    def send(client, _job):
        response = client.post(
            f"{base_url}{ENTRIES}",
            files=[*fields, ("attachments", ("contracte.pdf", PDF, "application/pdf"))],
            headers={"Authorization": f"Token {token}", "Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
        )
        return response.status_code == 201, f"{response.status_code} {response.text[:200]}"

    return send


def filing_rounds(server: harness.Server, args: argparse.Namespace, database_url: str, token: str, citizen_id: int):
    send = filing_sender(server.url, token, citizen_id)
    # Warm-up: every worker imports, connects and loads its fonts once.
    harness.closed_loop(send, jobs=2 * args.workers, clients=args.workers, servers=[server])
    rounds = [
        harness.closed_loop(
            send,
            jobs=args.filings,
            clients=args.clients,
            servers=[server],
            seconds=args.round_seconds,
            database_url=database_url,
            timeout=args.timeout,
        )
        for _ in range(args.rounds)
    ]
    return harness.rounds_merged(rounds, unit="filings")


def profile_filings(env: dict, workdir: Path, args: argparse.Namespace, token: str, citizen_id: int) -> dict:
    profile_dir = workdir / "profile-api"
    with harness.Server("api-profiled", env, workdir, workers=1, profile_dir=profile_dir) as server:
        send = filing_sender(server.url, token, citizen_id)
        harness.closed_loop(send, jobs=3, clients=1, servers=[server])  # imports and fonts out of the way
        server.profile_start()
        harness.closed_loop(send, jobs=args.profile_filings, clients=2, servers=[server])
    return harness.profile_summary(profile_dir, requests=args.profile_filings)


def queries_per_filing(token: str, citizen_id: int) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    data = {**filing_fields(citizen_id), "attachments": [SimpleUploadedFile("contracte.pdf", PDF, "application/pdf")]}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(ENTRIES, data, format="multipart", HTTP_IDEMPOTENCY_KEY=f"bench-{uuid.uuid4().hex}")
    if response.status_code != 201:
        raise SystemExit(f"An in-process filing failed: {response.status_code} {response.content[:300]!r}")
    return len(captured.captured_queries)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report: dict = {
        "benchmark": "api filings",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "database": f"throwaway {DATABASE} (PostgreSQL)",
        "settings": {key: value for key, value in vars(args).items() if key != "output"},
        "targets": {"filings_per_second": harness.TARGETS["filings_per_second"]},
    }
    database_url = harness.database_create(DATABASE)
    try:
        with tempfile.TemporaryDirectory(prefix="seu-bench-api-") as tmp:
            workdir = Path(tmp)
            env = harness.environment(workdir, database_url)
            with harness.phase(report, "setup"):
                token = harness.site_prepare()
                citizen_id = citizen_create()
            from django.db import connections

            connections.close_all()  # the servers and the ceiling's clients have the database to themselves

            print(f"ceiling: counter-row transactions, {args.clients} clients", flush=True)
            with harness.phase(report, "ceiling"):
                ceiling = harness.counter_ceiling(database_url, clients=args.clients)
            report["ceiling"] = ceiling
            print(f"  {ceiling['transactions_per_second']} transactions/s {ceiling['rounds_per_second']}", flush=True)

            variants = {
                "receipts_after_response": {},
                "receipts_queued": {"CELERY_TASK_ALWAYS_EAGER": "0"},  # memory:// broker, no worker
            }
            for name, extra in variants.items():
                with (
                    harness.phase(report, name),
                    harness.Server(name, {**env, **extra}, workdir, workers=args.workers) as server,
                ):
                    healthz = harness.healthz_rate(server, clients=args.clients)
                    print(f"{name}: /healthz {healthz['per_second']}/s", flush=True)
                    result = filing_rounds(server, args, database_url, token, citizen_id)
                result["workers"] = args.workers
                result["healthz"] = healthz
                result["ratio_to_ceiling"] = round(result["filings_per_second"] / ceiling["transactions_per_second"], 3)
                result["ratio_to_healthz"] = round(result["filings_per_second"] / healthz["per_second"], 3)
                report[name] = result
                print(
                    f"  {result['filings_per_second']} filings/s (rounds {result['rounds_per_second']}), "
                    f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['errors']} errors, "
                    f"CPU ms per filing {result['cpu_ms_per_request']}",
                    flush=True,
                )

            print(f"profile: one worker, {args.profile_filings} filings", flush=True)
            with harness.phase(report, "profile"):
                report["profile"] = profile_filings(env, workdir, args, token, citizen_id)
            report["queries_per_filing"] = queries_per_filing(token, citizen_id)
            connections.close_all()
    finally:
        harness.database_drop(DATABASE)

    main_figure = report["receipts_after_response"]
    for name in ("receipts_after_response", "receipts_queued"):
        report[name]["bounded_by"] = harness.bounded_by(
            metric="filings_per_second",
            value=report[name]["filings_per_second"],
            load=report[name],
            ceiling_tps=report["ceiling"]["transactions_per_second"],
            healthz_per_second=report[name]["healthz"]["per_second"],
            profile=report["profile"] if name == "receipts_after_response" else {},
        )
    report["summary"] = {
        "ceiling_transactions_per_second": report["ceiling"]["transactions_per_second"],
        "healthz_per_second": main_figure["healthz"]["per_second"],
        "filings_per_second": main_figure["filings_per_second"],
        "filing_p50_ms": main_figure["p50_ms"],
        "filing_p95_ms": main_figure["p95_ms"],
        "ratio_to_ceiling": main_figure["ratio_to_ceiling"],
        "ratio_to_healthz": main_figure["ratio_to_healthz"],
        "filings_per_second_receipts_queued": report["receipts_queued"]["filings_per_second"],
        "errors": main_figure["errors"] + report["receipts_queued"]["errors"],
        "bounded_by": main_figure["bounded_by"],
    }
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report["summary"], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
