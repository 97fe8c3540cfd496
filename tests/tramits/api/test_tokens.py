"""Service tokens: kept hashed, found by prefix, refused when wrong or revoked; the command that issues them."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from freezegun import freeze_time
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.tramits.api.conftest import ENTRIES_URL, client_for
from tests.tramits.expedients.factories import UserFactory
from tramits.api.models import IdempotentRequest, ServiceAccount, ServiceToken
from tramits.api.services import service_account_token_create, service_token_revoke
from tramits.api.tokens import token_matches

pytestmark = pytest.mark.django_db

migration = importlib.import_module("tramits.api.migrations.0003_hash_existing_service_tokens")


def _reads(key: str) -> int:
    return client_for(key).get(ENTRIES_URL).status_code


def test_a_token_works_and_records_when_it_was_used():
    issued = service_account_token_create(email="padro-app@example.org")
    with freeze_time("2026-05-04 09:00:00+00:00"):
        assert _reads(issued.key) == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def test_a_wrong_unknown_or_revoked_token_gets_401():
    issued = service_account_token_create(email="padro-app@example.org")
    prefix, secret = issued.key.split(".")
    assert _reads(f"{prefix}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}") == 401
    assert _reads("0" * 12 + "." + secret) == 401
    assert _reads("short") == 401
    assert APIClient().get(ENTRIES_URL, HTTP_AUTHORIZATION=f"Bearer {issued.key}").status_code == 401
    service_token_revoke(token=issued.token)
    response = client_for(issued.key).get(ENTRIES_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == "El testimoni no és vàlid o s'ha revocat."


def test_a_token_of_a_deactivated_account_gets_401():
    issued = service_account_token_create(email="padro-app@example.org")
    issued.account.user.is_active = False
    issued.account.user.save(update_fields=["is_active"])
    assert _reads(issued.key) == 401


def test_rotating_revokes_the_old_tokens():
    first = service_account_token_create(email="padro-app@example.org")
    second = service_account_token_create(email="padro-app@example.org", rotate=True)
    assert (_reads(first.key), _reads(second.key)) == (401, 200)
    assert ServiceToken.objects.filter(account=first.account, revoked_at__isnull=True).get() == second.token


def test_the_database_never_holds_the_plain_token():
    issued = service_account_token_create(email="padro-app@example.org")
    assert _reads(issued.key) == 200
    secret = issued.key.split(".")[1]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                assert not any(secret in str(value) for value in row), table
    stored = ServiceToken.objects.get()
    assert stored.prefix == issued.key[:12] and len(stored.digest) == 64


# The command ---------------------------------------------------------------------------------


def test_api_token_create_prints_a_token_once_with_least_privilege(capsys):
    call_command("api_token_create", "--email", "padro-app@example.org", "--service")
    key = capsys.readouterr().out.strip()
    assert _reads(key) == 200
    account = ServiceAccount.objects.get(user__email="padro-app@example.org")
    assert (account.name, account.operations, account.procedure_codes, account.all_procedures) == (
        "padro-app@example.org",
        ["read"],
        [],
        False,
    )
    call_command("api_token_create", "--email", "padro-app@example.org", "--service")
    assert capsys.readouterr().out == ""
    call_command("api_token_create", "--email", "padro-app@example.org", "--service", "--rotate")
    new_key = capsys.readouterr().out.strip()
    assert new_key != key and (_reads(key), _reads(new_key)) == (401, 200)


def test_api_token_create_sets_the_scope(capsys):
    call_command(
        "api_token_create",
        "--email",
        "padro-app@example.org",
        "--service",
        "--procedures",
        "padro-alta, GEN-INSTANCIA",
        "--operations",
        "read,file",
    )
    account = ServiceAccount.objects.get()
    assert (account.procedure_codes, account.operations) == (["PADRO-ALTA", "GEN-INSTANCIA"], ["file", "read"])
    call_command("api_token_create", "--email", "padro-app@example.org", "--service", "--all")
    account.refresh_from_db()
    assert (account.all_procedures, account.operations) == (True, ["file", "read", "act"])
    call_command("api_token_create", "--email", "padro-app@example.org", "--service", "--procedures", "")
    account.refresh_from_db()
    assert (account.all_procedures, account.procedure_codes, account.operations) == (False, [], ["file", "read", "act"])
    assert ServiceToken.objects.count() == 1


@pytest.mark.parametrize(
    "flags",
    [["--operations", "read,delete"], ["--procedures", "PADRO-ALTA,NO-EXISTEIX"], ["--all", "--operations", "read"]],
)
def test_api_token_create_refuses_an_unknown_scope_and_writes_nothing(flags):
    with pytest.raises(CommandError):
        call_command("api_token_create", "--email", "padro-app@example.org", "--service", *flags)
    assert not ServiceAccount.objects.exists() and not ServiceToken.objects.exists()


def test_api_token_create_wants_service():
    with pytest.raises(CommandError, match="--service"):
        call_command("api_token_create", "--email", "persona@example.org")
    assert not ServiceAccount.objects.exists()


# The data migration --------------------------------------------------------------------------


def test_the_migration_maps_the_tokens_of_service_accounts_only():
    accounts = [ServiceAccount(user_id=7), ServiceAccount(user_id=9)]
    created = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    key = "0123456789abcdef0123456789abcdef01234567"
    rows = migration.token_rows([(key, 7, created), ("f" * 40, 8, created)], accounts)
    assert len(rows) == 1
    assert rows[0]["account"] is accounts[0] and rows[0]["prefix"] == "0123456789ab"
    assert token_matches(key, rows[0]["digest"]) and not token_matches("f" * 40, rows[0]["digest"])


def test_the_migration_keeps_systems_working_and_forgets_plain_keys():
    system = UserFactory(email="padro-app@example.org")
    ServiceAccount.objects.create(user=system, name="Padró", operations=["read"])
    person = UserFactory()
    service_key = Token.objects.create(user=system).key
    Token.objects.create(user=person)
    claim = IdempotentRequest.objects.create(scope="svc", key="k-1", fingerprint="f")
    migration.forwards(apps, None)
    assert not Token.objects.exists()
    assert _reads(service_key) == 200
    account = ServiceAccount.objects.get()
    assert (account.operations, account.all_procedures) == (["file", "read", "act"], True)
    claim.refresh_from_db()
    assert claim.scope == f"svc{system.pk}"
