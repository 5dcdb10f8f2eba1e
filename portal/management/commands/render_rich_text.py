from django.core.management.base import BaseCommand

from portal.rich_text import render_all_stored


class Command(BaseCommand):
    help = ("Render every stored Markdown field to HTML again (contest rules, lessons, transcripts): "
            "run it after a change of the sanitiser's allow-list (portal/rich_text.py).")

    def handle(self, *args, **options):
        written = render_all_stored(log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS(f"{written} rows rendered again."))
