"""Follow-up work of the register, safe to run twice."""

from celery import shared_task

from tramits.registre.models import RegisterEntry
from tramits.registre.services import register_receipt_ensure, register_receipts_generate_missing


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def register_receipt_generate(entry_pk: int) -> int | None:
    """Render an entry's receipt if it has none yet; returns the issued document's id."""
    entry = RegisterEntry.objects.select_related("unit").filter(pk=entry_pk).first()
    if entry is None:
        return None
    return register_receipt_ensure(entry=entry).pk


@shared_task
def register_receipts_sweep() -> int:
    """Catch up on receipts whose task was lost."""
    return register_receipts_generate_missing()
