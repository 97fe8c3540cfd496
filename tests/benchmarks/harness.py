"""What the filing benchmarks share: a throwaway PostgreSQL database, gunicorn on loopback, closed-loop load,
the counter-row ceiling, CPU accounting and worker profiles.

Not a benchmark itself (run_all.py runs only bench_*.py). Everything is bounded: a fixed number of
requests or a fixed number of seconds, loopback only, and every server is stopped on the way out.
"""

import math
import os
import pstats
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
PG = os.environ.get("BENCH_PG", f"postgres://postgres@{HOST}:5432")
SETTINGS_MODULE = "tests.benchmarks.server_settings"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROFILE_START = "bench-profile-start"  # the query parameter of /healthz that gunicorn_profile.py watches for

# What the project aims at on this 2-core machine; a figure far below gets a `bounded_by` note.
TARGETS = {"filings_per_second": 300.0, "submissions_per_second": 50.0}
FAR_BELOW = 0.8  # below 80 % of its target a figure is explained


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def latency_summary(seconds: list[float]) -> dict:
    milliseconds = [value * 1000 for value in seconds]
    if not milliseconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    return {
        "p50_ms": round(statistics.median(milliseconds), 1),
        "p95_ms": round(percentile(milliseconds, 0.95), 1),
        "max_ms": round(max(milliseconds), 1),
    }


@contextmanager
def phase(report: dict, name: str):
    """Record how long a part of the benchmark took, so the whole stays within its budget."""
    started = time.perf_counter()
    try:
        yield
    finally:
        phases = report.setdefault("phase_seconds", {})
        phases[name] = round(phases.get(name, 0.0) + time.perf_counter() - started, 1)


def machine() -> dict:
    import platform

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


# The database --------------------------------------------------------------------------------


def admin_connection():
    import psycopg

    return psycopg.connect(f"{PG}/postgres", autocommit=True)


def database_create(name: str) -> str:
    """A fresh, empty database `name` (dropped first if a previous run left it); its URL."""
    with admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{PG}/{name}"


def database_drop(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def environment(workdir: Path, database_url: str) -> dict[str, str]:
    """This process's environment for the site (and the servers it starts): embedded default on PostgreSQL."""
    os.environ.update(
        {
            "DEBUG": "0",
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "LOG_LEVEL": "WARNING",
            "CLAMAV_ADDRESS": "",
        }
    )
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "REDIS_URL", "EMAIL_HOST", "REGISTRATION_BACKEND"):
        os.environ.pop(name, None)  # the embedded default: eager tasks, local memory cache, console e-mail
    sys.path.insert(0, str(ROOT))
    return dict(os.environ)


def site_prepare(*, service_email: str = "bench-system@example.org", years=None) -> str:
    """Migrate, load the departments and the business-day calendar (around this year, or `years`); a system's token."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tramits.api.models import Operation
    from tramits.api.services import service_account_token_create
    from tramits.catalogue.models import Department
    from tramits.catalogue.procedures import DEPARTMENTS
    from tramits.terminis.calendar import holidays_seed

    call_command("migrate", interactive=False, verbosity=0)
    for code, dir3, name_ca, name_es, name_en in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"dir3": dir3, "name_ca": name_ca, "name_es": name_es, "name_en": name_en}
        )
    year = timezone.localdate().year
    for each in years or (year - 1, year, year + 1):
        holidays_seed(year=each)
    return service_account_token_create(
        email=service_email, name="Benchmark", operations=Operation.values, all_procedures=True
    ).key


# The ceiling: the register's counter-row transaction, bare -----------------------------------

CEILING_TABLES = """
CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, next_number bigint NOT NULL);
CREATE TABLE IF NOT EXISTS bench_entry (
    id bigserial PRIMARY KEY, number bigint NOT NULL UNIQUE, registered_at timestamptz NOT NULL DEFAULT now(),
    subject text NOT NULL, entry_hash text NOT NULL
);
TRUNCATE bench_entry;
INSERT INTO bench_counter VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET next_number = 1;
"""


def _ceiling_round(database_url: str, *, clients: int, seconds: float) -> tuple[float, list[float]]:
    """One round of the bare counter-row transaction: (transactions per second, latencies)."""
    import psycopg

    subject = "Sol·licitud genèrica " + "x" * 60
    latencies: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    stop_at = [float("inf")]

    def client(index: int) -> None:
        with psycopg.connect(database_url) as connection:
            barrier.wait()
            mine = latencies[index]
            while time.perf_counter() < stop_at[0]:
                started = time.perf_counter()
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.execute("SELECT next_number FROM bench_counter WHERE id = 1 FOR UPDATE")
                    number = cursor.fetchone()[0]
                    cursor.execute("UPDATE bench_counter SET next_number = %s WHERE id = 1", (number + 1,))
                    cursor.execute(
                        "INSERT INTO bench_entry (number, subject, entry_hash) VALUES (%s, %s, md5(%s))",
                        (number, subject, str(number)),
                    )
                mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()  # every client connected
    started = time.perf_counter()
    stop_at[0] = started + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    done = [value for values in latencies for value in values]
    return len(done) / elapsed, done


def counter_ceiling(database_url: str, *, clients: int = 20, rounds: int = 3, seconds: float = 2.0) -> dict:
    """Transactions per second of SELECT ... FOR UPDATE on one counter row, UPDATE it, INSERT an entry-like row.

    What the register does under its lock, without Django, HTTP or files: no filing through the
    application can go faster than this on the same database. `clients` threads, one connection
    each, for `seconds` per round; the median round is the figure.
    """
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(CEILING_TABLES)
    per_round, all_latencies = [], []
    for _round in range(rounds):
        rate, latencies = _ceiling_round(database_url, clients=clients, seconds=seconds)
        per_round.append(round(rate, 1))
        all_latencies.extend(latencies)
    with psycopg.connect(database_url, autocommit=True) as connection:
        count, span = connection.execute("SELECT count(*), max(number) - min(number) + 1 FROM bench_entry").fetchone()
        connection.execute("DROP TABLE bench_entry, bench_counter")
    return {
        "what": "psycopg, one transaction: SELECT the counter row FOR UPDATE, UPDATE it, INSERT an entry row",
        "clients": clients,
        "rounds_per_second": per_round,
        "transactions_per_second": statistics.median(per_round),
        **latency_summary(all_latencies),
        "numbers_without_gaps": count == span,
    }


# gunicorn over loopback ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


class Server:
    """A gunicorn of this project on a free loopback port; with `profile_dir`, each worker is profiled."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path, *, workers: int, profile_dir: Path | None = None):
        self.name, self.workers, self.profile_dir = name, workers, profile_dir
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = workdir / f"gunicorn-{name}-{self.port}.log"
        self.env = {**env, "DB_CONN_MAX_AGE": "60"}
        if profile_dir is not None:
            profile_dir.mkdir(parents=True, exist_ok=True)
            self.env["BENCH_PROFILE_DIR"] = str(profile_dir)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", str(self.workers)]
        command += ["--bind", f"{HOST}:{self.port}", "--timeout", "120", "--graceful-timeout", "30"]
        command += ["--log-level", "warning", "--error-logfile", str(self.log)]
        if self.profile_dir is not None:
            command += ["--config", str(HERE / "gunicorn_profile.py")]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_until_up(self, seconds: float = 60) -> None:
        import httpx

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.name} exited while starting: {self.log_tail()}")
            try:
                answered = httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
                if answered and len(_children(self.process.pid)) >= self.workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)  # waiting for another process to start, not measuring time
        raise SystemExit(f"gunicorn {self.name} did not answer /healthz in time: {self.log_tail()}")

    def profile_start(self) -> None:
        """Start the profiler of the (single) worker from the next request on, after the warm-up."""
        import httpx

        response = httpx.get(f"{self.url}/healthz", params={PROFILE_START: "1"}, timeout=10)
        response.raise_for_status()

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""

    def cpu_seconds(self) -> float:
        """CPU used so far by the worker processes (the master only watches them)."""
        return sum(_cpu_seconds(pid) for pid in _children(self.process.pid)) if self.process else 0.0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


# Closed-loop load ------------------------------------------------------------------------------


def database_backends_cpu_seconds(database_url: str) -> float:
    """CPU used so far by the PostgreSQL backends serving `database_url` (the servers' connections)."""
    name = database_url.rsplit("/", 1)[1]
    with admin_connection() as connection:
        pids = [row[0] for row in connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]
    return sum(_cpu_seconds(pid) for pid in pids)


@dataclass
class Load:
    clients: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    per_second: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)
    error_samples: list[str] = field(default_factory=list)
    server_cpu_seconds: float = 0.0
    database_cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    machine_cpu_seconds: float = 0.0
    machine_busy_share: float = 0.0

    def cpu_ms(self, seconds: float) -> float:
        return round(1000 * seconds / max(self.requests, 1), 1)

    def as_dict(self) -> dict:
        others = self.machine_cpu_seconds - self.server_cpu_seconds - self.database_cpu_seconds
        return {
            "clients": self.clients,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.per_second, 1),
            **latency_summary(self.latencies),
            "cpu_ms_per_request": {
                "servers": self.cpu_ms(self.server_cpu_seconds),
                "database": self.cpu_ms(self.database_cpu_seconds),
                "load_generator": self.cpu_ms(self.client_cpu_seconds),
                "rest_of_machine": self.cpu_ms(max(others - self.client_cpu_seconds, 0.0)),
            },
            "machine_busy_share": round(self.machine_busy_share, 2),
            "error_samples": self.error_samples,
        }


def closed_loop(
    send: Callable[[object, int], tuple[bool, str]],
    *,
    jobs: int,
    clients: int,
    servers: list[Server],
    seconds: float | None = None,
    database_url: str | None = None,
    timeout: float = 60.0,
) -> Load:
    """At most `jobs` calls of `send(http_client, job)` from `clients` threads, each with its own httpx client.

    With `seconds`, no call starts after that many seconds (the calls under way finish). `send`
    returns (ok, sample); the figure is successful calls per second of wall time.
    """
    import httpx

    local = threading.local()
    lock = threading.Lock()
    load = Load(clients=clients)
    opened: list[httpx.Client] = []
    deadline = [float("inf")]

    def one(job: int) -> None:
        if time.perf_counter() > deadline[0]:
            return
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=timeout)
            with lock:
                opened.append(local.client)
        started = time.perf_counter()
        try:
            ok, sample = send(local.client, job)
        except httpx.HTTPError as error:
            ok, sample = False, repr(error)
        elapsed = time.perf_counter() - started
        with lock:
            load.requests += 1
            if ok:
                load.latencies.append(elapsed)
            else:
                load.errors += 1
                if len(load.error_samples) < 3:
                    load.error_samples.append(sample[:300])

    cpu_before = sum(server.cpu_seconds() for server in servers)
    database_before = database_backends_cpu_seconds(database_url) if database_url else 0.0
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    busy_before, total_before = machine_busy_seconds()
    started = time.perf_counter()
    if seconds is not None:
        deadline[0] = started + seconds
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(one, range(jobs)))
    finally:
        for client in opened:
            client.close()
    load.seconds = time.perf_counter() - started
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    busy_after, total_after = machine_busy_seconds()
    load.server_cpu_seconds = sum(server.cpu_seconds() for server in servers) - cpu_before
    if database_url:
        load.database_cpu_seconds = max(database_backends_cpu_seconds(database_url) - database_before, 0.0)
    load.client_cpu_seconds = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    load.machine_cpu_seconds = busy_after - busy_before
    load.machine_busy_share = (busy_after - busy_before) / max(total_after - total_before, 1e-9)
    load.per_second = len(load.latencies) / load.seconds if load.seconds else 0.0
    return load


def rounds_merged(rounds: list[Load], *, unit: str) -> dict:
    """Several rounds as one figure: the median round's rate, latencies over all rounds, CPU medians."""
    latencies = [value for load in rounds for value in load.latencies]
    dicts = [load.as_dict() for load in rounds]
    return {
        f"{unit}_per_second": round(statistics.median(load.per_second for load in rounds), 1),
        "rounds_per_second": [round(load.per_second, 1) for load in rounds],
        "clients": rounds[0].clients,
        "requests": sum(load.requests for load in rounds),
        "errors": sum(load.errors for load in rounds),
        **latency_summary(latencies),
        "cpu_ms_per_request": {
            name: statistics.median(item["cpu_ms_per_request"][name] for item in dicts)
            for name in dicts[0]["cpu_ms_per_request"]
        },
        "machine_busy_share": statistics.median(item["machine_busy_share"] for item in dicts),
        "error_samples": [sample for load in rounds for sample in load.error_samples][:3],
    }


def healthz_rate(server: Server, *, clients: int = 20, requests: int = 1000) -> dict:
    """The rate of the cheapest request the server answers (`/healthz`): the HTTP ceiling of that server."""
    url = f"{server.url}/healthz"

    def send(client, _job):
        response = client.get(url)
        return response.status_code == 200, f"{response.status_code}"

    closed_loop(send, jobs=min(100, requests), clients=clients, servers=[server])  # warm-up
    load = closed_loop(send, jobs=requests, clients=clients, servers=[server])
    return load.as_dict()


# Profiles --------------------------------------------------------------------------------------


def _where(filename: str) -> str:
    if filename.startswith("~") or filename == "":
        return "builtins"
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    try:
        relative = path.relative_to(ROOT)
    except ValueError:
        return "python"  # the standard library
    return "/".join(relative.parts[:2]).removesuffix(".py")


def _label(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename.startswith("~"):
        return function
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        short = "/".join(parts[parts.index("site-packages") + 1 :])
    else:
        try:
            short = str(path.relative_to(ROOT))
        except ValueError:
            short = "/".join(parts[-2:])
    return f"{short}:{line}({function})"


# The server loop and the request plumbing around every view: left out of the second top list.
PLUMBING = (
    "gunicorn/",
    "django/core/handlers/",
    "django/utils/deprecation.py",
    "django/http/response.py",
    "django/utils/decorators.py",
    "django/views/decorators/",
    "django/views/generic/base.py",
    "rest_framework/views.py",
    "celery/app/",
    "middleware",
    "tramits/background.py",
    "contextlib.py",
    "threading.py",
)


# Where a filing's time can go, by the function that does it: (file ending, function name).
COST_CENTRES = {
    "receipt PDF (WeasyPrint, after the answer)": ("tramits/registre/receipts.py", "receipt_pdf"),
    "application PDF (WeasyPrint, final POST)": ("tramits/submissions/application.py", "application_files_store"),
    "the filing service (register entry and expedient)": ("tramits/expedients/filing.py", "filing_register"),
    "the call to the API (api backend)": ("tramits/submissions/backends/api.py", "register"),
    "confirmation e-mail": ("tramits/submissions/services.py", "submission_confirmation_send"),
}


def _top(entries, requests: int, total: float, top: int) -> list[dict]:
    return [
        {
            "function": _label(key),
            "calls": value[1],
            "cumulative_ms_per_request": round(1000 * value[3] / max(requests, 1), 1),
            "share": round(value[3] / total, 3),
        }
        for key, value in entries[:top]
    ]


def profile_summary(profile_dir: Path, *, requests: int, top: int = 10) -> dict:
    """One worker's profile: its top cumulative entries, again without the plumbing, and its own time by package."""
    files = sorted(profile_dir.glob("worker-*.prof"), key=lambda path: path.stat().st_size, reverse=True)
    if not files:
        return {"error": "no profile was written"}
    stats = pstats.Stats(str(files[0]))
    entries = stats.stats  # {(file, line, function): (primitive calls, calls, tottime, cumtime, callers)}
    total = sum(value[2] for value in entries.values()) or 1e-9
    by_cumulative = sorted(entries.items(), key=lambda item: item[1][3], reverse=True)
    below = [item for item in by_cumulative if not any(part in _label(item[0]) for part in PLUMBING)]
    by_package: Counter[str] = Counter()
    builtins: Counter[str] = Counter()
    for key, value in entries.items():
        where = _where(key[0])
        by_package[where] += value[2]
        if where == "builtins":
            builtins[key[2]] += value[2]
    centres = {}
    for name, (ending, function) in COST_CENTRES.items():
        shares = [value[3] for key, value in entries.items() if key[0].endswith(ending) and key[2] == function]
        if shares:
            centres[name] = round(max(shares) / total, 3)
    return {
        "profiler": "cProfile of one gunicorn worker (wall clock), from after the warm-up to its exit",
        "requests": requests,
        "profiled_seconds": round(total, 2),
        "top_cumulative": _top(by_cumulative, requests, total, top),
        "top_cumulative_below_plumbing": _top(below, requests, total, top),
        "cost_centres": dict(sorted(centres.items(), key=lambda item: item[1], reverse=True)),
        "own_time_by_package": {name: round(seconds / total, 3) for name, seconds in by_package.most_common(8)},
        "own_time_top_builtins": {name: round(seconds / total, 3) for name, seconds in builtins.most_common(5)},
    }


def bounded_by(
    *,
    metric: str,
    value: float,
    load: dict,
    ceiling_tps: float,
    healthz_per_second: float,
    profile: dict,
) -> str | None:
    """A plain sentence saying what holds `value` back when it is far below its target; None when it is not."""
    target = TARGETS[metric]
    if value >= FAR_BELOW * target:
        return None
    cores = os.cpu_count() or 1
    cpu = load["cpu_ms_per_request"]
    ours = cpu["servers"] + cpu["database"] + cpu["load_generator"]
    parts = [f"{value:.0f}/s against a target of {target:.0f}/s"]
    if ours:
        parts.append(
            f"each request costs {cpu['servers']:.0f} ms of CPU in the servers, {cpu['database']:.0f} ms in "
            f"PostgreSQL and {cpu['load_generator']:.0f} ms in the load generator, so {cores} cores allow at most "
            f"about {1000 * cores / ours:.0f}/s"
        )
    parts.append(
        f"the machine was {100 * load['machine_busy_share']:.0f} % busy, "
        f"{cpu['rest_of_machine']:.0f} ms per request in other processes"
    )
    lock_or_http = min(ceiling_tps, healthz_per_second)
    parts.append(
        f"the counter-row ceiling is {ceiling_tps:.0f}/s and /healthz {healthz_per_second:.0f}/s, so "
        + ("neither the register's lock nor HTTP is the bound" if value < 0.5 * lock_or_http else "they are near")
    )
    centres = sorted(profile.get("cost_centres", {}).items(), key=lambda item: item[1], reverse=True)
    centres = [(name, share) for name, share in centres if share >= 0.05]
    if centres:
        shares = ", ".join(f"{name} {share:.0%}" for name, share in centres)
        parts.append(f"in the profiled workers, time goes to {shares}")
    return "; ".join(parts)
