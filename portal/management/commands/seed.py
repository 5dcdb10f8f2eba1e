from django.core.management.base import BaseCommand

from portal.seeding import seed_all


class Command(BaseCommand):
    help = "Load reference data (idempotent; staff edits are kept). --demo adds demo content, labelled as demo."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also create demo content.")

    def handle(self, *args, demo: bool = False, **options):
        seed_all(demo=demo, log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("Seed done."))
