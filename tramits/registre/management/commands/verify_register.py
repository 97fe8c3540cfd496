"""Check the hash chains and counters of the register; exit with an error at the first bad entry."""

from django.core.management.base import BaseCommand, CommandError

from tramits.registre.selectors import register_chains_verify


class Command(BaseCommand):
    help = "Verify every register chain (E and S, each year) and its counter."

    def handle(self, *args, **options):
        summaries, problem = register_chains_verify()
        for summary in summaries:
            self.stdout.write(f"OK {summary.register}-{summary.year}: {summary.entries} entries")
        if problem is not None:
            raise CommandError(f"FAIL {problem}")
        self.stdout.write(self.style.SUCCESS("OK"))
