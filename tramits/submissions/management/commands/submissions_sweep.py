from django.core.management.base import BaseCommand

from tramits.submissions.tasks import submissions_sweep


class Command(BaseCommand):
    help = "Register the submissions still waiting (what Celery beat does every 5 minutes); safe to run twice."

    def handle(self, *args, **options):
        result = submissions_sweep()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()) or "nothing to do")
