"""Run every benchmark (bench_*.py beside this file) and merge their reports into one JSON file.

Benchmarks measure; they never assert times. Each script takes `--output FILE` and stops by itself;
the merged report ends with a `summary` of each benchmark's headline figures.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default="bench-report.json")
    parser.add_argument("--only", nargs="*", help="names of benchmarks to run (e.g. public_pages api)")
    args, extra = parser.parse_known_args()
    report: dict = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "benchmarks": {}}
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.json"
            print(f"== {name}", flush=True)
            result = subprocess.run([sys.executable, str(script), "--output", str(out), *extra], check=False)
            if result.returncode == 0 and out.exists():
                report["benchmarks"][name] = json.loads(out.read_text())
            else:
                failures += 1
                report["benchmarks"][name] = {"error": f"exit code {result.returncode}"}
    report["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # The headline figures of each benchmark that has them (filings and submissions per second, ratios, bounds).
    report["summary"] = {
        name: result["summary"] for name, result in report["benchmarks"].items() if result.get("summary") is not None
    }
    Path(args.output).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report["summary"], indent=2, ensure_ascii=False))
    print(f"Report written to {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
