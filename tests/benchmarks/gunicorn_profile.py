"""gunicorn settings for a profiled run: a worker runs under cProfile once told to, and writes its profile on exit.

Used by harness.Server(profile_dir=...) through `--config`, with one worker. The profiler starts
at the request `/healthz?bench-profile-start=1` (after the warm-up, so imports and first renders
are left out) and the profile goes to BENCH_PROFILE_DIR when the worker exits.
"""

import cProfile
import os

PROFILE_START = "bench-profile-start=1"
_profile: cProfile.Profile | None = None


def pre_request(worker, req):
    global _profile
    if _profile is None and PROFILE_START in (req.query or ""):
        _profile = cProfile.Profile()
        _profile.enable()


def worker_exit(server, worker):
    if _profile is not None:
        _profile.disable()
        _profile.dump_stats(os.path.join(os.environ["BENCH_PROFILE_DIR"], f"worker-{os.getpid()}.prof"))
