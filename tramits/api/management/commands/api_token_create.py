"""Print the API token of a service account (an internal system), creating the account if needed."""

from django.core.management.base import BaseCommand, CommandError

from tramits.api.services import service_account_token_create


class Command(BaseCommand):
    help = "Create (or show) the API token of a service account and print it."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The service account's e-mail (its login name).")
        parser.add_argument(
            "--service",
            action="store_true",
            help="Confirm the account is an internal system: it sees every entry and expedient.",
        )
        parser.add_argument("--name", default="", help="Name of the system, for the admin.")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token with a new one.")

    def handle(self, *args, email: str, service: bool, name: str, rotate: bool, **options):
        if not service:
            raise CommandError(
                "Tokens are for internal systems: pass --service to create a service account. People use their session."
            )
        token = service_account_token_create(email=email, name=name, rotate=rotate)
        self.stdout.write(token.key)
