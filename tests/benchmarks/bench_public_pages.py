"""Throughput, latency and SQL queries of the main public pages, served by gunicorn over loopback.

Usage: .venv/bin/python tests/benchmarks/bench_public_pages.py --output bench-report.json

It builds a throwaway SQLite database in a temporary folder (or uses DATABASE_URL when it is set),
runs the migrations and the demo loader, collects the static files, starts gunicorn with DEBUG off,
sends a fixed number of GET requests per page from a pool of threads, stops the server and writes
one JSON report. The query count of each page is measured in-process with the test client.
This is a measurement, not a test: nothing is asserted on the figures.
"""

import argparse
import http.client
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
GUIDE_CODE = "PADRO-ALTA"
SEARCH_QUERY = "padró"


@dataclass
class PageResult:
    name: str
    path: str
    status: int
    queries: int
    queries_first_request: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    mean_ms: float = 0.0
    max_ms: float = 0.0
    error_samples: list[str] = field(default_factory=list)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("bench-report.json"), help="where to write the JSON report")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page (default 400)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for one request (default 30)")
    return parser.parse_args(argv)


def configure_environment(workdir: Path) -> dict[str, str]:
    """The environment shared by this process and the server: DEBUG off, throwaway files."""
    env = {
        "DEBUG": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(env)
    return {**os.environ}


def prepare_site() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def resolve_pages() -> dict[str, str]:
    """The paths to measure; the guide is found the way citizens' links find it, through /tramit/<CODE>."""
    from django.test import Client

    from content.models import TopicPage

    client = Client(HTTP_ACCEPT_LANGUAGE="ca")
    response = client.get(f"/tramit/{GUIDE_CODE}")
    if response.status_code != 302:
        raise SystemExit(f"/tramit/{GUIDE_CODE} answered {response.status_code}, expected a redirect to the guide")
    topic = TopicPage.objects.live().filter(locale__language_code="ca").order_by("path").first()
    if topic is None:
        raise SystemExit("The demo content has no topic page in Catalan")
    return {
        "home": "/ca/",
        "topic": topic.get_url(),
        "guide": response["Location"],
        "search": f"/ca/cerca/?q={quote(SEARCH_QUERY)}",
    }


def count_queries(path: str) -> tuple[int, int, int]:
    """Status, queries of the first request and queries of a repeated request (caches warm)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="ca")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts.append(len(captured.captured_queries))
    return response.status_code, counts[0], counts[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def wait_until_ready(server: subprocess.Popen, port: int, log: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise SystemExit(f"gunicorn did not answer within {limit:.0f}s:\n{log.read_text(errors='replace')}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def load(port: int, path: str, *, total: int, concurrency: int, timeout: float) -> tuple[list[float], list[str], float]:
    """Send `total` GETs from `concurrency` threads; return latencies (s), error descriptions, wall time (s)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [total]

    def take() -> bool:
        with lock:
            if remaining[0] == 0:
                return False
            remaining[0] -= 1
            return True

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            while take():
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Accept-Language": "ca"})
                    response = connection.getresponse()
                    response.read()
                    elapsed = time.perf_counter() - started
                    problem = None if response.status == 200 else f"HTTP {response.status}"
                    if response.will_close:
                        connection.close()
                except (OSError, http.client.HTTPException) as exc:
                    elapsed = time.perf_counter() - started
                    problem = f"{type(exc).__name__}: {exc}"
                    connection.close()
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return latencies, errors, time.perf_counter() - started


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(result: PageResult, port: int, args: argparse.Namespace) -> None:
    if args.warmup:
        load(port, result.path, total=args.warmup, concurrency=min(args.concurrency, args.warmup), timeout=args.timeout)
    latencies, errors, seconds = load(
        port, result.path, total=args.requests, concurrency=args.concurrency, timeout=args.timeout
    )
    ordered = sorted(latencies)
    result.requests = len(latencies)
    result.errors = len(errors)
    result.error_samples = sorted(set(errors))[:5]
    result.seconds = round(seconds, 3)
    result.requests_per_second = round(len(latencies) / seconds, 1) if seconds else 0.0
    result.p50_ms = round(percentile(ordered, 0.50) * 1000, 1)
    result.p95_ms = round(percentile(ordered, 0.95) * 1000, 1)
    result.mean_ms = round(statistics.fmean(ordered) * 1000, 1) if ordered else 0.0
    result.max_ms = round(ordered[-1] * 1000, 1) if ordered else 0.0


def print_table(results: list[PageResult]) -> None:
    header = f"{'page':<8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'queries':>8}  path"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:<8} {r.requests_per_second:>8.1f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.errors:>7} "
            f"{r.queries:>8}  {r.path}"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    output = args.output.resolve()
    with tempfile.TemporaryDirectory(prefix="seu-bench-") as tmp:
        workdir = Path(tmp)
        env = configure_environment(workdir)
        print("Preparing the site (migrations, demo content, static files)...", flush=True)
        prepare_site()

        import django
        import wagtail
        from django.db import connection

        pages = resolve_pages()
        results = []
        for name, path in pages.items():
            status, first, warm = count_queries(path)
            if status != 200:
                raise SystemExit(f"{name} ({path}) answered {status} in-process")
            results.append(PageResult(name=name, path=path, status=status, queries=warm, queries_first_request=first))
        vendor = connection.vendor
        connection.close()

        port = free_port()
        log = workdir / "gunicorn.log"
        print(f"Serving with gunicorn on {HOST}:{port} ({args.workers} workers)...", flush=True)
        server = start_server(env, port, args.workers, log)
        try:
            wait_until_ready(server, port, log)
            for result in results:
                print(f"  {result.name}: {args.requests} requests, concurrency {args.concurrency}", flush=True)
                measure(result, port, args)
        finally:
            stop_server(server)

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "database": vendor,
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
        "server": {"program": "gunicorn", "workers": args.workers, "debug": False},
        "load": {
            "requests_per_page": args.requests,
            "warmup_per_page": args.warmup,
            "concurrency": args.concurrency,
            "transport": "HTTP/1.1 over loopback",
        },
        "pages": [asdict(result) for result in results],
    }
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print_table(results)
    failed = sum(result.errors for result in results)
    if failed:
        # Kept in the report rather than failing the run: the figures still say something.
        print(f"WARNING: {failed} requests failed; see error_samples in the report")
    print(f"\nReport written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
