"""The street list of the address questions: a small sample of Lleida's streets shipped as data.

The full street register (carrerer) can replace `data/carrers_lleida.csv` with the same columns.
"""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "carrers_lleida.csv"


@cache
def streets() -> dict[str, str]:
    """Street code → name, sorted by name."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["name"])
    return {row["code"]: row["name"] for row in rows}


def street_choices() -> list[tuple[str, str]]:
    return list(streets().items())


def street_name(code: str) -> str:
    return streets().get(code, "")
