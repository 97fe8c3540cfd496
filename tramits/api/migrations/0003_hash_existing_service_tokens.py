"""Existing service accounts keep what they could do, and their DRF tokens become hashed `ServiceToken`s.

- Accounts made before scopes existed could do everything: they get every operation and every
  procedure, so no system stops working on deploy. Narrow them with
  `manage.py api_token_create --email … --service --operations … --procedures …`.
- Each DRF token of a service account is kept as its SHA-256, with its first 12 characters as the
  look-up prefix, so the systems keep using the same key. Then every DRF token is deleted, since that
  table holds keys in clear and nothing accepts them any more (people's tokens too: people use their
  session).
- Idempotency claims of the old shared scope "svc" move to the service account's own scope when
  there is only one account, so a retry after the deploy still gets the first answer.

Reversing is a no-op: the plain keys are gone and cannot be put back, and reversing the previous
migration drops the hashed tokens (the systems then need new DRF tokens).
"""

import hashlib

from django.db import migrations

ALL_OPERATIONS = ["file", "read", "act"]
PREFIX_LENGTH = 12


def token_rows(drf_tokens, service_accounts) -> list[dict]:
    """The `ServiceToken` fields for each DRF token `(key, user_id, created)` of a service account."""
    account_of_user = {account.user_id: account for account in service_accounts}
    rows = []
    for key, user_id, created in drf_tokens:
        account = account_of_user.get(user_id)
        if account is not None:
            rows.append(
                {
                    "account": account,
                    "prefix": key[:PREFIX_LENGTH],
                    "digest": hashlib.sha256(key.encode()).hexdigest(),
                    "created_at": created,
                }
            )
    return rows


def forwards(apps, schema_editor):
    ServiceAccount = apps.get_model("api", "ServiceAccount")
    ServiceToken = apps.get_model("api", "ServiceToken")
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    Token = apps.get_model("authtoken", "Token")
    accounts = list(ServiceAccount.objects.all())
    ServiceAccount.objects.update(operations=ALL_OPERATIONS, procedure_codes=[], all_procedures=True)
    drf_tokens = Token.objects.values_list("key", "user_id", "created")
    ServiceToken.objects.bulk_create(ServiceToken(**row) for row in token_rows(drf_tokens, accounts))
    Token.objects.all().delete()
    if len(accounts) == 1:
        IdempotentRequest.objects.filter(scope="svc").update(scope=f"svc{accounts[0].user_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_service_scopes_and_hashed_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
