"""Submissions per second end to end: the wizard's final POST on gunicorn and PostgreSQL, for both backends.

Usage: .venv/bin/python tests/benchmarks/bench_submissions.py --output bench-submissions.json

A throwaway database `seu_bench_sub` on 127.0.0.1 (user postgres) is created, migrated and dropped
at the end. In order:

1. The ceiling: the register's counter-row transaction, bare (psycopg, `--clients` connections,
   the median of a few rounds).
2. For each backend, `local` (the seu files in process) and `api` (the seu posts each filing to a
   second gunicorn serving `/api/v1/`, with an internal system's token): the seu's gunicorn
   (`--workers` sync workers, embedded default: receipts and e-mails after the response), its
   `/healthz` rate, then `--rounds` rounds. Before each round, GEN-INSTANCIA (one PDF) is filled up
   to its check page in a fresh session of one citizen per draft, in this process, untimed; then
   `--clients` client threads send only the final POSTs over HTTP (session cookie, CSRF token,
   draft key). A final POST stores the submission, registers it through the backend and
   redirects to the confirmation; a submission left unregistered counts as an error.
3. A cProfile of one seu worker (and, for `api`, of one API worker) over a few final POSTs.

The figure is the median round; latencies are over all rounds; each figure is also a ratio to the
ceiling and to `/healthz`, and gets a `bounded_by` note when it is far below its target.
This is a measurement, not a test: nothing is asserted on the figures. It stops by itself.
"""

import argparse
import json
import math
import re
import secrets
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import harness

DATABASE = "seu_bench_sub"
CODE = "GEN-INSTANCIA"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FINAL_STEP = f"/ca/tramitar/{CODE}/pas/revisio/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("bench-submissions.json"), help="the JSON report")
    parser.add_argument("--backends", nargs="*", default=["local", "api"], choices=["local", "api"])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers of each server (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per backend (default 3)")
    parser.add_argument("--submissions", type=int, default=30, help="at most this many final POSTs per round")
    parser.add_argument("--round-seconds", type=float, default=3.0, help="no final POST starts after this")
    parser.add_argument("--profile-submissions", type=int, default=5, help="final POSTs of the profiled worker")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one request")
    return parser.parse_args(argv)


def citizens_create(count: int) -> list:
    from tests.tramits.expedients.factories import dni
    from tramits.accounts.models import User

    return [
        User.objects.create_user(
            email=f"bench-citizen-{index}@example.org",
            first_name="Bench",
            last_name=f"Citizen {index}",
            document_type="dni",
            document_number=dni(30_000_000 + index),
        )
        for index in range(count)
    ]


def draft_ready(user) -> dict:
    """GEN-INSTANCIA filled up to its check page in a fresh session of `user`: what the final POST needs."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(user)
    steps = [
        ("sollicitant", {"email": user.email}),
        ("sollicitud", {"subject": "Benchmark", "facts": "Fets.", "request": "Petició."}),
        ("documents", {"document_1": SimpleUploadedFile("doc.pdf", PDF, "application/pdf")}),
    ]
    for step, answers in steps:
        data = {f"{CODE}-current_step": step, **{f"{step}-{name}": value for name, value in answers.items()}}
        response = client.post(f"/ca/tramitar/{CODE}/pas/{step}/", data)
        if response.status_code != 302:
            raise SystemExit(f"step {step} answered {response.status_code}")
    page = client.get(FINAL_STEP).content.decode()
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret of our own, sent as cookie and as form field
    return {
        "cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "data": {
            f"{CODE}-current_step": "revisio",
            "revisio-declaration": "on",
            "draft_key": re.search(r'name="draft_key" value="([^"]+)"', page)[1],
            "csrfmiddlewaretoken": csrf,
        },
    }


def drafts_ready(citizens: list, count: int) -> list[dict]:
    from django.db import connections

    drafts = [draft_ready(citizens[index]) for index in range(count)]
    connections.close_all()
    return drafts


def final_post_sender(server: harness.Server, drafts: list[dict]):
    url = f"{server.url}{FINAL_STEP}"

    def send(client, job):
        draft = drafts[job]
        response = client.post(url, data=draft["data"], headers={"Cookie": draft["cookie"]})
        ok = response.status_code == 302 and "/tramitar/sollicitud/" in response.headers.get("location", "")
        return ok, f"{response.status_code} {response.headers.get('location', '')} {response.text[:200]}"

    return send


def registration_outcome(drafts: list[dict]) -> dict:
    """What became of the final POSTs sent: submissions by status, and a few errors of those not registered."""
    from django.db import connections
    from django.db.models import Count

    from tramits.submissions.models import Status, Submission
    from tramits.wizards.services import idempotency_key_for

    keys = [idempotency_key_for(draft["data"]["draft_key"]) for draft in drafts]
    stored = Submission.objects.filter(idempotency_key__in=keys)
    by_status = dict(stored.values_list("status").annotate(count=Count("pk")).order_by("status"))
    errors = list(stored.exclude(status=Status.REGISTERED).values_list("last_error", flat=True).distinct()[:3])
    connections.close_all()
    registered = by_status.get(Status.REGISTERED, 0)
    return {"unregistered": len(drafts) - registered, "by_status": by_status, "errors": errors}


def servers_for(backend: str, env: dict, workdir: Path, token: str, *, workers: int, profile_dir: Path | None = None):
    """The servers of one backend, the seu first; for `api`, the API's gunicorn that the seu posts to."""
    if backend == "local":
        return [harness.Server("seu-local", {**env, "REGISTRATION_BACKEND": "local"}, workdir, workers=workers,
                               profile_dir=profile_dir and profile_dir / "seu")]  # fmt: skip
    api = harness.Server("api", env, workdir, workers=workers, profile_dir=profile_dir and profile_dir / "api")
    seu_env = {
        **env,
        "REGISTRATION_BACKEND": "api",
        "TRAMITS_API_URL": f"{api.url}/api/v1/",
        "TRAMITS_API_TOKEN": token,
        "TRAMITS_API_TIMEOUT": "60",
    }
    seu = harness.Server("seu-api", seu_env, workdir, workers=workers, profile_dir=profile_dir and profile_dir / "seu")
    return [seu, api]


def measure_backend(backend: str, args, env: dict, workdir: Path, database_url: str, token: str, citizens) -> dict:
    servers = servers_for(backend, env, workdir, token, workers=args.workers)
    rounds, drafts_used, timing = [], [], {}
    with ExitStack() as stack:
        for server in reversed(servers):  # the API first, so the seu's first filings find it
            stack.enter_context(server)
        seu = servers[0]
        healthz = {server.name: harness.healthz_rate(server, clients=args.clients) for server in servers}
        warm = drafts_ready(citizens, 2 * args.workers)
        harness.closed_loop(final_post_sender(seu, warm), jobs=len(warm), clients=args.workers, servers=servers)
        wanted = args.submissions
        for _ in range(args.rounds):
            with harness.phase(timing, "drafts"):
                drafts = drafts_ready(citizens, wanted)
            load = harness.closed_loop(
                final_post_sender(seu, drafts),
                jobs=len(drafts),
                clients=args.clients,
                servers=servers,
                seconds=args.round_seconds,
                database_url=database_url,
                timeout=args.timeout,
            )
            rounds.append(load)
            drafts_used.extend(drafts[: load.requests])
            # Enough drafts for the next round at this pace (with room for the clients under way), no more.
            wanted = min(args.submissions, math.ceil(load.per_second * args.round_seconds * 1.3) + args.clients)
    result = harness.rounds_merged(rounds, unit="submissions")
    outcome = registration_outcome(drafts_used)
    result["unregistered"] = outcome["unregistered"]
    result["registration_outcome"] = outcome
    result["workers_per_server"] = args.workers
    result["servers"] = [server.name for server in servers]
    result["healthz"] = healthz
    result["draft_preparation_seconds"] = timing["phase_seconds"]["drafts"]
    return result


def profile_backend(backend: str, args, env: dict, workdir: Path, token: str, citizens) -> dict:
    profile_dir = workdir / f"profile-{backend}"
    servers = servers_for(backend, env, workdir, token, workers=1, profile_dir=profile_dir)
    with ExitStack() as stack:
        for server in reversed(servers):
            stack.enter_context(server)
        warm = drafts_ready(citizens, 3)
        harness.closed_loop(final_post_sender(servers[0], warm), jobs=len(warm), clients=1, servers=servers)
        drafts = drafts_ready(citizens, args.profile_submissions)
        for server in servers:
            server.profile_start()
        harness.closed_loop(final_post_sender(servers[0], drafts), jobs=len(drafts), clients=2, servers=servers)
    return {
        server.name: harness.profile_summary(server.profile_dir, requests=args.profile_submissions)
        for server in servers
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report: dict = {
        "benchmark": "submissions end to end",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "database": f"throwaway {DATABASE} (PostgreSQL)",
        "settings": {key: value for key, value in vars(args).items() if key != "output"},
        "targets": {"submissions_per_second": harness.TARGETS["submissions_per_second"]},
        "backends": {},
    }
    database_url = harness.database_create(DATABASE)
    try:
        with tempfile.TemporaryDirectory(prefix="seu-bench-sub-") as tmp:
            workdir = Path(tmp)
            env = harness.environment(workdir, database_url)
            with harness.phase(report, "setup"):
                token = harness.site_prepare(service_email="bench-seu@example.org")
                # One citizen per draft of a round: a citizen has one draft of a procedure at a time.
                citizens = citizens_create(max(args.submissions, 2 * args.workers, args.profile_submissions + 3))
            from django.db import connections

            connections.close_all()

            print(f"ceiling: counter-row transactions, {args.clients} clients", flush=True)
            with harness.phase(report, "ceiling"):
                ceiling = harness.counter_ceiling(database_url, clients=args.clients)
            report["ceiling"] = ceiling
            print(f"  {ceiling['transactions_per_second']} transactions/s {ceiling['rounds_per_second']}", flush=True)

            for backend in args.backends:
                with harness.phase(report, backend):
                    result = measure_backend(backend, args, env, workdir, database_url, token, citizens)
                seu_healthz = result["healthz"][result["servers"][0]]["per_second"]
                result["ratio_to_ceiling"] = round(
                    result["submissions_per_second"] / ceiling["transactions_per_second"], 3
                )
                result["ratio_to_healthz"] = round(result["submissions_per_second"] / seu_healthz, 3)
                print(
                    f"{backend}: {result['submissions_per_second']} submissions/s {result['rounds_per_second']}, "
                    f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['errors']} errors, "
                    f"{result['unregistered']} unregistered; /healthz {seu_healthz}/s; "
                    f"CPU ms per submission {result['cpu_ms_per_request']}",
                    flush=True,
                )
                print(f"  profile: one worker per server, {args.profile_submissions} final POSTs", flush=True)
                with harness.phase(report, f"{backend} profile"):
                    result["profile"] = profile_backend(backend, args, env, workdir, token, citizens)
                result["bounded_by"] = harness.bounded_by(
                    metric="submissions_per_second",
                    value=result["submissions_per_second"],
                    load=result,
                    ceiling_tps=ceiling["transactions_per_second"],
                    healthz_per_second=seu_healthz,
                    profile={
                        "cost_centres": {
                            f"{centre} [{server}]": share
                            for server, profile in result["profile"].items()
                            for centre, share in profile.get("cost_centres", {}).items()
                        }
                    },
                )
                report["backends"][backend] = result
            connections.close_all()
    finally:
        harness.database_drop(DATABASE)

    report["summary"] = {
        "ceiling_transactions_per_second": report["ceiling"]["transactions_per_second"],
        **{
            backend: {
                "submissions_per_second": result["submissions_per_second"],
                "p50_ms": result["p50_ms"],
                "p95_ms": result["p95_ms"],
                "healthz_per_second": result["healthz"][result["servers"][0]]["per_second"],
                "ratio_to_ceiling": result["ratio_to_ceiling"],
                "ratio_to_healthz": result["ratio_to_healthz"],
                "errors": result["errors"] + result["unregistered"],
                "bounded_by": result["bounded_by"],
            }
            for backend, result in report["backends"].items()
        },
    }
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report["summary"], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
