"""Load the national, Catalan and local holidays of some years into the editable calendar."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tramits.terminis.calendar import holidays_seed


class Command(BaseCommand):
    help = "Add the holidays of the given years if missing (safe to run again; staff edits are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int, help="Years to seed (default: this year and the next)")

    def handle(self, *args, years: list[int] | None = None, **options):
        this_year = timezone.localdate().year
        for year in years or [this_year, this_year + 1]:
            created = holidays_seed(year=year)
            self.stdout.write(f"{year}: {created} holidays added")
