"""Compile every .po catalogue to .mo in pure Python (polib): no GNU gettext needed."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    roots = [settings.BASE_DIR / "locale"] + [settings.BASE_DIR / app / "locale" for app in ("portal", "organisations", "expeditions", "contests", "mooc", "measures", "diagnostic", "api", "billing")]
    return sorted(p for root in roots if root.exists() for p in root.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo."

    def handle(self, *args, **options):
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
