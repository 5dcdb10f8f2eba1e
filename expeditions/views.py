"""Thin views: parse → selector/service → render. Places are never counted here."""

from __future__ import annotations

import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expeditions import catalogue_cache, rules, selectors, services
from expeditions.forms import (
    CatalogueFilterForm,
    GroupMemberAcceptForm,
    GroupRegistrationForm,
    GroupSubstituteForm,
    RegistrationForm,
)
from expeditions.ical import calendar_bytes
from expeditions.models import Expedition, GroupRegistration, Registration
from expeditions.services import RegistrationError
from expeditions.templatetags.expeditions_tags import availability, places_placeholder

PAGE_SIZE = 12
GROUP_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")  # secrets.token_urlsafe(32); a NUL byte never reaches SQL
DETAIL_CACHE_SECONDS = 600
# the cached detail holds a pickled Expedition: a new or renamed field makes a new key
DETAIL_CACHE_SCHEMA = hashlib.sha256(
    ",".join(f.attname for f in Expedition._meta.concrete_fields).encode()).hexdigest()[:8]
CATALOGUE_FILTERS = ("destination", "month", "audience", "places_left")  # kept in the pagination links


def _catalogue(request: HttpRequest, *, archive: bool) -> HttpResponse:
    """The catalogue's HTML comes from expeditions.catalogue_cache when it holds the page for
    the current catalogue version and its trips still belong on it; places left are always
    read live. "Only trips with places left" depends on live places, so it is never cached."""
    asked = _filter_query({name: request.GET.get(name, "") for name in CATALOGUE_FILTERS})
    key = catalogue_cache.page_key(archive=archive, query_string=f"{asked}&page={request.GET.get('page') or 1}")
    version, cached = catalogue_cache.lookup(key)
    if cached is not None:  # a hit needs neither the form nor the choices
        html, pks = cached
        live = selectors.live_places(pks=pks)
        if selectors.still_listed(live, pks=pks, archive=archive):
            return _catalogue_page(request, archive, html, live)
    choices = selectors.catalogue_filter_choices(version=version)
    form = CatalogueFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    paginator = Paginator(selectors.expedition_list_public(archive=archive, **filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = _filter_query({
        "destination": filters.get("destination") or "", "audience": filters.get("audience") or "",
        "month": filters["month"].strftime("%Y-%m") if filters.get("month") else "",
        "places_left": "on" if filters.get("places_left") else "",
    })
    html = render_to_string("expeditions/_catalogue.html", {
        "form": form, "filters": filters, "choices": choices, "page": page, "archive": archive, "query": query,
    })
    expeditions = {e.pk: e for e in page.object_list}
    canonical = catalogue_cache.page_key(archive=archive, query_string=f"{query}&page={page.number}")
    if canonical == key and not filters.get("places_left"):
        catalogue_cache.store(key, version=version, html=html, pks=list(expeditions))
    return _catalogue_page(request, archive, html, expeditions)


def _filter_query(values: dict[str, str]) -> str:
    """The filters as the pagination links carry them, in a fixed order, empty ones left out."""
    return urlencode([(name, values[name]) for name in CATALOGUE_FILTERS if values.get(name)])


def _catalogue_page(request, archive: bool, html: str, expeditions: dict[int, Expedition]) -> HttpResponse:
    today = timezone.localdate()
    for pk, expedition in expeditions.items():
        html = html.replace(places_placeholder(pk), escape(availability(expedition, today)))
    return render(request, "expeditions/index.html", {
        "archive": archive, "catalogue": mark_safe(html),  # rendered by the template engine; labels escaped
    })


@never_cache  # places left must never come from a cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, archive=False)


@never_cache
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, archive=True)


def _expedition_or_404(request: HttpRequest, slug: str) -> Expedition:
    try:
        return selectors.expedition_detail(slug=slug, include_drafts=lambda: rules.can_see_drafts(request.user))
    except Expedition.DoesNotExist:
        raise Http404 from None


def _detail_cached(request: HttpRequest, slug: str) -> tuple[Expedition, str, str]:
    """The trip with its page's two fixed parts (the heading; summary, programme and practical
    information), cached under a key holding ``updated_at``, with status and places laid
    over from a live query on every request.

    Every admin save of the trip (programme inline, partners, audiences included), every
    import, and renaming its destination, a partner or an audience bump ``updated_at``
    (expeditions.apps); the place counters never do, and stay out of the cache.
    """
    try:
        pk, version, live = selectors.expedition_live(slug=slug, include_drafts=lambda: rules.can_see_drafts(request.user))
    except Expedition.DoesNotExist:
        raise Http404 from None
    key = f"expeditions:detail:{DETAIL_CACHE_SCHEMA}:{pk}:{version}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        try:
            expedition = Expedition.objects.select_related("destination").get(pk=pk)
        except Expedition.DoesNotExist:  # deleted since the live query
            raise Http404 from None
        selectors.expedition_detail_related(expedition)
        head = render_to_string("expeditions/_detail_head.html", {"expedition": expedition})
        body = render_to_string("expeditions/_detail_fixed.html", {"expedition": expedition})
        expedition._prefetched_objects_cache = {}  # the rendered HTML holds them; keep the entry small
        cached = (expedition, head, body)
        cache.set(key, cached, DETAIL_CACHE_SECONDS)
    expedition, head, body = cached
    # rendered by the template engine: escaped already
    return selectors.expedition_with_live(expedition, live), mark_safe(head), mark_safe(body)


@never_cache
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    expedition, head, fixed_part = _detail_cached(request, slug)
    registration = selectors.registration_active_for(expedition=expedition, user=request.user)
    action = rules.next_action(user=request.user, expedition=expedition, registration=registration)
    return render(request, "expeditions/detail.html", {
        "expedition": expedition,
        "head": head,
        "fixed_part": fixed_part,
        "registration": registration,
        "action": action,
        "show_delegation": rules.can_see_delegation(registration),
        "group_open": request.user.is_authenticated and rules.trip_refusal_reason(expedition=expedition) is None,
    })


@never_cache
@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """A valid POST goes straight to the service, which checks the person and the trip (the page's
    own checks would only run the same queries again, in a rush 200 times)."""
    expedition = _expedition_or_404(request, slug)
    form = RegistrationForm(request.POST if request.method == "POST" else None, expedition=expedition)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(expedition=expedition, user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            if error.code == "duplicate":
                messages.info(request, _("You are already registered for this expedition."))
                return redirect("me:dashboard")
            if error.code == "complete_profile":
                messages.info(request, error.message)
                return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
            messages.error(request, error.message)
            return redirect(expedition.get_absolute_url())
        if registration.status == Registration.Status.WAITLISTED:
            messages.success(request, _("The expedition is full: you are number %(position)d on the waiting list.")
                             % {"position": registration.waitlist_position})
        elif registration.status == Registration.Status.PENDING:
            messages.success(request, _("Your registration is received: the organisers will confirm it."))
        else:
            messages.success(request, _("Your registration is confirmed."))
        return redirect(reverse("me:dashboard") + "#me-expeditions")
    if selectors.registration_active_for(expedition=expedition, user=request.user):
        messages.info(request, _("You are already registered for this expedition."))
        return redirect("me:dashboard")
    action = rules.next_action(user=request.user, expedition=expedition, registration=None)
    if action.code == "complete_profile":
        messages.info(request, action.reason)
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
    if action.code not in ("register", "waitlist"):
        messages.error(request, action.reason)
        return redirect(expedition.get_absolute_url())
    return render(request, "expeditions/register.html", {"expedition": expedition, "form": form, "action": action})


def _participant_action(request: HttpRequest, registration_id: int, service, success: str) -> HttpResponse:
    try:
        service(registration_id=registration_id, user=request.user)
    except Registration.DoesNotExist:
        raise Http404 from None
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(reverse("me:dashboard") + "#me-expeditions")


def _confirm_page(request: HttpRequest, registration_id: int, *, template: str, allowed) -> HttpResponse:
    """The second step of an action that gives a place away: GET shows what will happen; another
    person's id, or a registration the action no longer fits (a stale page), is a 404."""
    try:
        registration = selectors.registration_of_user(user=request.user, registration_id=registration_id)
    except Registration.DoesNotExist:
        raise Http404 from None
    if not allowed(request.user, registration):
        raise Http404
    return render(request, template, {
        "registration": registration, "expedition": registration.expedition,
        "holds_a_place": rules.holds_a_place(registration),
        "place_goes_to_the_waiting_list": rules.place_goes_to_the_waiting_list(registration),
    })


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    if request.method == "GET":
        return _confirm_page(request, registration_id, template="expeditions/confirm_cancel.html",
                             allowed=lambda user, r: rules.is_own_registration(user, r) and rules.can_cancel_self(r))
    return _participant_action(request, registration_id, services.registration_cancel, _("Your registration is cancelled."))


@login_required
@require_POST
def registration_request_cancellation(request: HttpRequest, registration_id: int) -> HttpResponse:
    return _participant_action(request, registration_id, services.registration_request_cancellation,
                               _("Your cancellation request has been sent to the organisers."))


@login_required
@require_POST
def offer_accept(request: HttpRequest, registration_id: int) -> HttpResponse:
    return _participant_action(request, registration_id, services.registration_offer_accept,
                               _("You have accepted the place."))


@login_required
@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, registration_id: int) -> HttpResponse:
    if request.method == "GET":
        return _confirm_page(request, registration_id, template="expeditions/confirm_decline.html",
                             allowed=lambda user, r: rules.offer_is_open(user, r))
    return _participant_action(request, registration_id, services.registration_offer_decline,
                               _("You have declined the place; it goes to the next person."))


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def registration_ics(request: HttpRequest, registration_id: int) -> HttpResponse:
    try:
        registration = selectors.registration_of_user(user=request.user, registration_id=registration_id)
    except Registration.DoesNotExist:
        raise Http404 from None
    expedition = registration.expedition
    return _ics_response(calendar_bytes([expedition], name=expedition.title), f"{slugify(expedition.slug)}.ics")


@login_required
@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_regenerate(user=request.user)
    messages.success(request, _("Your calendar feed has a new secret address; the old one no longer works."))
    return redirect(reverse("me:dashboard") + "#me-expeditions")


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal iCal feed: the secret token in the URL is the credential."""
    user = selectors.user_by_feed_token(token=token)
    if user is None:
        raise Http404
    expeditions = selectors.confirmed_expeditions_of_user(user=user)
    response = HttpResponse(calendar_bytes(expeditions, name=_("My learning expeditions")),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_GET
def delegation(request: HttpRequest, slug: str) -> HttpResponse:
    expedition = _expedition_or_404(request, slug)
    registration = selectors.registration_active_for(expedition=expedition, user=request.user)
    if not rules.can_see_delegation(registration):
        raise Http404
    return render(request, "expeditions/delegation.html", {
        "expedition": expedition, "participants": selectors.delegation_list(expedition=expedition)})


# --- Groups ---------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def group_register(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's contact registers named colleagues (the contact need not travel)."""
    from organisations import selectors as organisation_selectors

    expedition = _expedition_or_404(request, slug)
    organisations = organisation_selectors.organisations_of(request.user)
    live = selectors.with_availability(Expedition.objects.filter(pk=expedition.pk)).get()
    form = GroupRegistrationForm(request.POST if request.method == "POST" else None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.group_register(
                    expedition_id=expedition.pk, contact=request.user,
                    organisation_id=form.cleaned_data["organisation"], colleagues=form.colleagues(),
                    mode=form.cleaned_data["mode"], po_reference=form.cleaned_data["po_reference"],
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your group is registered: each colleague gets an e-mail to complete his or "
                                            "her details and accept."))
                return redirect("expeditions:group_detail", group.pk)
        status = 400
    return render(request, "expeditions/group_register.html", {
        "expedition": live, "form": form, "organisations": organisations,
        "refusal": rules.trip_refusal_reason(expedition=expedition),
    }, status=status)


def _group_or_404(request: HttpRequest, group_id: int):
    try:
        return selectors.group_of_contact(user=request.user, group_id=group_id)
    except GroupRegistration.DoesNotExist:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's state, for its contact only: each colleague's place, the offers to answer,
    and a name to change before the cancellation cut-off."""
    group = _group_or_404(request, group_id)
    now = timezone.now()
    for registration in group.registrations.all():
        registration.expedition = group.expedition  # read once, not per row
    places = [{"registration": r, "can_substitute": rules.can_substitute(r, now),
               "form": GroupSubstituteForm(prefix=f"p{r.pk}")} for r in group.registrations.all()]
    return render(request, "expeditions/group_detail.html", {
        "group": group, "expedition": group.expedition, "places": places, "summary": selectors.group_summary(group),
        "offered": [r for r in group.registrations.all() if r.status == Registration.Status.OFFERED],
    })


@login_required
@require_POST
def group_offer(request: HttpRequest, group_id: int) -> HttpResponse:
    accept = request.POST.get("answer") == "accept"
    try:
        count = services.group_offer_respond(group_id=group_id, contact=request.user, accept=accept)
    except GroupRegistration.DoesNotExist:
        raise Http404 from None
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, (_("%(n)s places accepted.") if accept else _("%(n)s places declined: they go to the "
                                                                               "next people waiting.")) % {"n": count})
    return redirect("expeditions:group_detail", group_id)


@login_required
@require_POST
def group_substitute(request: HttpRequest, group_id: int, registration_id: int) -> HttpResponse:
    group = _group_or_404(request, group_id)
    form = GroupSubstituteForm(request.POST, prefix=f"p{registration_id}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("expeditions:group_detail", group.pk)
    try:
        services.group_member_substitute(registration_id=registration_id, contact=request.user,
                                         name=form.cleaned_data["name"], email=form.cleaned_data["email"])
    except (Registration.DoesNotExist, GroupRegistration.DoesNotExist):
        raise Http404 from None
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The place now goes to %(email)s, who gets an invitation.")
                         % {"email": form.cleaned_data["email"]})
    return redirect("expeditions:group_detail", group.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def group_cancel(request: HttpRequest, group_id: int, registration_id: int) -> HttpResponse:
    """The contact cancels a colleague's place: GET says what will happen, POST does it. Another
    group's place, or one the contact may no longer cancel (a stale page), is a 404 on GET."""
    group = _group_or_404(request, group_id)
    registration = next((r for r in group.registrations.all() if r.pk == registration_id), None)
    if registration is None:
        raise Http404
    registration.expedition = group.expedition
    if request.method == "GET":
        if not rules.can_substitute(registration):
            raise Http404
        return render(request, "expeditions/group_cancel.html", {
            "group": group, "expedition": group.expedition, "registration": registration,
            "holds_a_place": rules.holds_a_place(registration),
            "place_goes_to_the_waiting_list": rules.place_goes_to_the_waiting_list(registration),
        })
    try:
        services.group_member_cancel(registration_id=registration.pk, contact=request.user)
    except (Registration.DoesNotExist, GroupRegistration.DoesNotExist):
        raise Http404 from None
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The place of %(email)s is cancelled; he or she is told by e-mail.")
                         % {"email": registration.invited_email})
    return redirect("expeditions:group_detail", group.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def group_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page a colleague's invitation links to: his or her own details, then accept."""
    from organisations import rules as organisation_rules

    if not GROUP_TOKEN_RE.fullmatch(token):
        raise Http404
    place = selectors.group_place_by_token(token=token)
    if place is None:
        raise Http404
    is_invitee = organisation_rules.is_invitee(request.user, services.registration_invitee(place))
    form = GroupMemberAcceptForm(request.POST if request.method == "POST" else None,
                                 instance=place if place.user_id == request.user.pk else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_member_accept(token=token, user=request.user, **form.cleaned_data)
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you: your details are saved and your place accepted."))
                return redirect(reverse("me:dashboard") + "#me-expeditions")
        status = 400
    return render(request, "expeditions/group_invitation.html", {
        "place": place, "expedition": place.expedition, "group": place.group, "form": form, "is_invitee": is_invitee,
        "active": place.status in Registration.ACTIVE,
    }, status=status)
