"""Emptying what a transactional test wrote, including the append-only register (its triggers lifted briefly)."""

from django.db import connection

EXPEDIENT_TABLES = [
    "expedients_event",
    "expedients_expedientdocument",
    "expedients_suspension",
    "expedients_task",
    "expedients_correctionrequest",
    "expedients_interestedparty",
    "expedients_expedient",
    "expedients_expedientcounter",
]
REGISTER_TABLES = ["registre_registerattachment", "registre_registerentry"]


def purge_tables() -> None:
    """Submissions, the API's idempotency claims, the expedients and the register, in an order the keys allow."""
    from tramits.submissions.models import Submission

    Submission.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM api_idempotentrequest")
        for table in EXPEDIENT_TABLES:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM documents_issueddocument WHERE register_entry_id IS NOT NULL")
        for table in REGISTER_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
