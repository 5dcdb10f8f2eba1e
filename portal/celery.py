"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os
import sys

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal", task_cls=DjangoTask)

# Celery's Django fix-up puts the working directory first on sys.path. From inside one of the
# apps (`make messages` runs makemessages there), the app's own rules.py would then shadow the
# `rules` package: only the project root belongs there.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_cwd = os.getcwd()
if _cwd.startswith(_ROOT + os.sep) and _cwd in sys.path:
    sys.path.remove(_cwd)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
