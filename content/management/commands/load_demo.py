from django.core.management.base import BaseCommand

from content.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo site (pages in ca/es/en, departments, holidays, groups, workflow). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--users", action="store_true", help="Also create the demo accounts and print them.")

    def handle(self, *args, users: bool = False, **options):
        report = demo_load(with_users=users)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Demo content ready: {report['pages']} pages."))
            for line in report.get("accounts", []):
                self.stdout.write(line)
