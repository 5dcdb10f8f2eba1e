"""The portal's URLs plus the benchmark's two floors; only `make benchmark`'s settings use them.

- ``bench-floor/``: base.html through the same middleware (the pages' floor).
- ``bench-locked-write/<slug>/``: the rush's floor, a bare locked write: a session-authenticated,
  CSRF-checked POST that locks the expedition row, inserts one registration, updates the row's
  counter and redirects. No rule, no form, no notification: what a registration cannot go below.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from expeditions.models import Expedition, Registration
from portal.locking import lock_rows
from portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return render(request, "base.html")


@login_required
@require_POST
def locked_write(request, slug):
    with transaction.atomic():
        expedition = lock_rows(Expedition.objects.filter(slug=slug)).get()
        Registration.objects.create(expedition=expedition, user=request.user, status=Registration.Status.CONFIRMED)
        Expedition.objects.filter(pk=expedition.pk).update(places_held=F("places_held") + 1)
    return HttpResponseRedirect("/bench-floor/")


urlpatterns = [
    path("bench-floor/", floor),
    path("bench-locked-write/<slug:slug>/", locked_write),
    *portal_urlpatterns,
]
