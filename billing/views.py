"""Billing pages: ask a quote, download one's documents (thin: services and rules decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from billing import rules, selectors
from billing.forms import QuoteRequestForm
from billing.pdf import document_pdf as render_document_pdf
from billing.services import BillingError, quote_issue
from expeditions.models import Expedition


@never_cache
@login_required
def quote_request(request: HttpRequest, slug: str) -> HttpResponse:
    expedition = get_object_or_404(Expedition, slug=slug, status__in=[Expedition.Status.PUBLISHED,
                                                                      Expedition.Status.REGISTRATION_CLOSED])
    if not rules.can_ask_quote(request.user, expedition):
        messages.error(request, _("This expedition is free of charge: there is nothing to quote."))
        return redirect(expedition.get_absolute_url())
    form = QuoteRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            quote = quote_issue(expedition_id=expedition.pk, user=request.user, places=form.cleaned_data["places"],
                                buyer=form.buyer())
        except BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Quote %(number)s is ready: download it below.") % {"number": quote.number})
            return redirect(reverse("me:dashboard") + "#me-billing")
    return render(request, "billing/quote_request.html", {"expedition": expedition, "form": form})


@never_cache
@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for_download(pk=pk)
    if document is None or not rules.can_download_document(request.user, document):
        raise Http404
    response = HttpResponse(render_document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
