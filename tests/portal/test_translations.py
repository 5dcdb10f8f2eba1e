"""Every catalogue is complete: French 100 % translated, English complete, nothing fuzzy."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REQUIRED = ["locale"] + [f"{app}/locale" for app in ("organisations", "expeditions", "contests", "mooc", "measures", "diagnostic", "api")]


def _catalogues():
    return sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts)


@pytest.mark.parametrize("locale_dir", REQUIRED)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_part_of_the_portal_has_a_catalogue(locale_dir, language):
    assert (ROOT / locale_dir / language / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_untranslated_or_fuzzy_entry(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries() if not e.obsolete]
    assert untranslated == []
    assert fuzzy == []
    assert catalogue.percent_translated() == 100
