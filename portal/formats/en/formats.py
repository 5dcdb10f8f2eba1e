"""English pages in British formats (en-GB): 15 January 2026, 14:30; 15/01/2026; 1,234.5.

The URL prefix stays /en/; only the formats differ from Django's US defaults for "en".
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403  (inputs, separators, first day of week)

DATE_FORMAT = "j F Y"  # '25 October 2006'
TIME_FORMAT = "H:i"  # '14:30'
DATETIME_FORMAT = "j F Y, H:i"  # '25 October 2006, 14:30'
SHORT_DATE_FORMAT = "d/m/Y"  # '25/10/2006'
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # '25/10/2006 14:30'
