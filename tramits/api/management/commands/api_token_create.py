"""Create or update a service account (an internal system) with its scope, and print a new API token once."""

from django.core.management.base import BaseCommand, CommandError

from tramits.api.models import Operation
from tramits.api.selectors import service_account_has_token
from tramits.api.services import ServiceScopeInvalid, service_account_save, service_account_token_create

ALL = "all"


def _listed(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = (
        "Create or update the service account with this e-mail and print a new API token (only the first time, "
        "or with --rotate: the database keeps only its hash). A new account may only read (least privilege)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The service account's e-mail (its login name).")
        parser.add_argument(
            "--service",
            action="store_true",
            help="Confirm the account is an internal system: within its scope it sees every entry and expedient.",
        )
        parser.add_argument("--name", default="", help="Name of the system, for the admin.")
        parser.add_argument(
            "--procedures",
            help='Procedure codes it may file, comma-separated (e.g. PADRO-ALTA,GEN-INSTANCIA), "all", or "" for none.',
        )
        parser.add_argument(
            "--operations",
            help='Operations it may use, comma-separated: file, read, act; or "all". A new account has read.',
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Every operation and every procedure, for trusted back-office integrations.",
        )
        parser.add_argument("--rotate", action="store_true", help="Revoke the account's tokens and print a new one.")

    def handle(self, *args, email: str, service: bool, name: str, rotate: bool, everything: bool, **options):
        if not service:
            raise CommandError(
                "Tokens are for internal systems: pass --service to create a service account. People use their session."
            )
        procedures, operations = _listed(options["procedures"]), _listed(options["operations"])
        if everything and (procedures is not None or operations is not None):
            raise CommandError("--all already means every procedure and operation: leave out the other two.")
        scope: dict = {}
        if everything or procedures == [ALL]:
            scope.update(all_procedures=True, procedure_codes=[])
        elif procedures is not None:
            scope.update(all_procedures=False, procedure_codes=procedures)
        if everything or operations == [ALL]:
            scope["operations"] = list(Operation.values)
        elif operations is not None:
            scope["operations"] = operations
        try:
            if rotate or not service_account_has_token(email=email):
                issued = service_account_token_create(email=email, name=name, rotate=rotate, **scope)
                self.stdout.write(issued.key)
                self.stderr.write("Keep this token now: it cannot be shown again.")
                return
            service_account_save(email=email, name=name, **scope)
        except ServiceScopeInvalid as error:
            raise CommandError(str(error)) from error
        self.stderr.write("Account updated. Its token is unchanged and cannot be shown again: --rotate for a new one.")
