"""Switches of the wizards, read from settings at call time (tests override them).

| setting | default | meaning |
|---|---|---|
| WIZARD_DRAFT_TTL_DAYS | 30 (env WIZARD_DRAFT_TTL_DAYS) | drafts untouched this long are deleted with their files |

The upload limits and the antivirus live in `tramits.documents.conf`, shared by every way in.
"""

import os

from django.conf import settings


def draft_ttl_days() -> int:
    value = getattr(settings, "WIZARD_DRAFT_TTL_DAYS", None)
    return int(value if value is not None else os.environ.get("WIZARD_DRAFT_TTL_DAYS", "30"))
