"""The TrueType font every PDF of the portal uses (certificates, diagnostic reports).

Names and answers are printed as people typed them: a TrueType font covers far more of them
than Helvetica's WinAnsi (Ł, Ő, Ș...). DejaVu when the system has it (Debian:
fonts-dejavu-core), else the Bitstream Vera shipped with reportlab.
"""

from __future__ import annotations

import os

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf"),
     os.path.join(os.path.dirname(reportlab.__file__), "fonts", "VeraBd.ttf")),
]
_fonts: tuple[str, str] | None = None


def register_fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process."""
    global _fonts
    if _fonts is None:
        _fonts = ("Helvetica", "Helvetica-Bold")
        for regular, bold in FONT_CANDIDATES:
            if os.path.exists(regular) and os.path.exists(bold):
                pdfmetrics.registerFont(TTFont("PortalSans", regular))
                pdfmetrics.registerFont(TTFont("PortalSans-Bold", bold))
                _fonts = ("PortalSans", "PortalSans-Bold")
                break
    return _fonts
