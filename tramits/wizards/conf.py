"""Limits and switches of the wizards, read from settings at call time (tests override them).

| setting | default | meaning |
|---|---|---|
| WIZARD_MAX_FILE_BYTES | 10 MB (env WIZARD_MAX_FILE_BYTES) | largest single upload |
| WIZARD_MAX_SUBMISSION_BYTES | 25 MB (env WIZARD_MAX_SUBMISSION_BYTES) | all the uploads of one application |
| WIZARD_DRAFT_TTL_DAYS | 30 (env WIZARD_DRAFT_TTL_DAYS) | drafts untouched this long are deleted with their files |
| CLAMAV_ADDRESS | "" (env CLAMAV_ADDRESS) | clamd as `host:port` or a unix socket path; empty: no scan |
| CLAMAV_TIMEOUT | 10 s (env CLAMAV_TIMEOUT) | seconds to wait for clamd |
"""

import os

from django.conf import settings

MB = 1024 * 1024


def _value(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else os.environ.get(name, default)


def max_file_bytes() -> int:
    return int(_value("WIZARD_MAX_FILE_BYTES", str(10 * MB)))


def max_submission_bytes() -> int:
    return int(_value("WIZARD_MAX_SUBMISSION_BYTES", str(25 * MB)))


def draft_ttl_days() -> int:
    return int(_value("WIZARD_DRAFT_TTL_DAYS", "30"))


def clamav_address() -> str:
    return _value("CLAMAV_ADDRESS", "").strip()


def clamav_timeout() -> float:
    return float(_value("CLAMAV_TIMEOUT", "10"))
