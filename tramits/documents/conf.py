"""Upload limits and the antivirus, read from settings at call time (tests override them).

One place for every way a document comes in: the wizards, the back-office desk and the internal API.

| setting | default | meaning |
|---|---|---|
| WIZARD_MAX_FILE_BYTES | 10 MB (env WIZARD_MAX_FILE_BYTES) | largest single document a citizen sends |
| WIZARD_MAX_SUBMISSION_BYTES | 25 MB (env WIZARD_MAX_SUBMISSION_BYTES) | the documents of one filing, whoever files |
| STAFF_MAX_FILE_BYTES | 50 MB (env STAFF_MAX_FILE_BYTES) | largest single document from staff or a system |
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


def staff_max_file_bytes() -> int:
    return int(_value("STAFF_MAX_FILE_BYTES", str(50 * MB)))


def clamav_address() -> str:
    return _value("CLAMAV_ADDRESS", "").strip()


def clamav_timeout() -> float:
    return float(_value("CLAMAV_TIMEOUT", "10"))
