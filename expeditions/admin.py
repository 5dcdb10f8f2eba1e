"""The staff's workplace for expeditions: actions call the services, never bypass them."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from expeditions import rules, selectors, services
from expeditions.forms import StaffMessageForm
from expeditions.models import Destination, Expedition, GroupRegistration, ProgrammeItem, Registration, Tag
from expeditions.resources import ExpeditionResource, ParticipantResource
from expeditions.services import RegistrationError
from portal.admin_actions import confirmed_action
from portal.exports import PortalImportExportMixin, ReadableExportMixin
from portal.history import HistoryAdmin
from portal.ownership import OwnedFieldsAdminMixin


@admin.register(Destination)
class DestinationAdmin(TranslationAdmin):
    list_display = ["country", "country_code", "position"]
    search_fields = ["country", "slug"]


@admin.register(Tag)
class TagAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


class ProgrammeItemInline(TranslationTabularInline):
    model = ProgrammeItem
    extra = 1
    fields = ["day", "start_time", "end_time", "title", "host_organisation", "position"]


class ExpeditionAdminForm(forms.ModelForm):
    """Capacity and status belong to the services (read-only once the trip exists): the two
    "change … to" fields ask the same rules here and are applied by the services on save."""

    # Staff type the price in euros (4 200 or 4200,50); it is stored in cents. Imports keep
    # price_cents, the machine column.
    price_euros = forms.DecimalField(
        label=_("price (€, excl. VAT)"), min_value=Decimal("0"), max_digits=9, decimal_places=2, initial=Decimal("0"), localize=True,
        help_text=_("In euros, e.g. 4200 or 4200,50; 0 for a free trip."))
    new_capacity = forms.IntegerField(
        label=_("change the capacity to"), min_value=0, max_value=100_000, required=False,
        help_text=_("Never below the places taken; a raise offers the new places to the waiting list at once."),
    )
    new_status = forms.ChoiceField(
        label=_("change the status to"), required=False,
        choices=[("", "—"), *[(s.value, s.label) for s in (Expedition.Status.PUBLISHED,
                                                           Expedition.Status.REGISTRATION_CLOSED,
                                                           Expedition.Status.DRAFT)]],
        help_text=_("To cancel the trip and every registration, use the action “Cancel the selected expeditions”."),
    )

    writes_fields = ("price_cents",)  # from price_euros

    class Meta:
        model = Expedition
        fields = "__all__"  # noqa: DJ007 — the admin narrows the fields with its fieldsets (price_euros, not price_cents)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["price_euros"] = Decimal(self.instance.price_cents) / 100

    def _post_clean(self):
        price = self.cleaned_data.get("price_euros")
        if price is not None:
            self.instance.price_cents = int((price * 100).to_integral_value())
        super()._post_clean()

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = Expedition.objects.get(pk=self.instance.pk)
            if data.get("new_capacity") is not None:
                reason = rules.capacity_change_refusal(current, data["new_capacity"])
                if reason:
                    self.add_error("new_capacity", reason)
            if data.get("new_status"):
                reason = rules.status_change_refusal(current, data["new_status"])
                if reason:
                    self.add_error("new_status", reason)
        return data


@admin.register(Expedition)
class ExpeditionAdmin(OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin, TranslationAdmin):
    form = ExpeditionAdminForm
    resource_classes = [ExpeditionResource]
    inlines = [ProgrammeItemInline]
    list_display = ["title", "starts_on", "status", "places", "waiting", "destination", "is_demo"]
    list_filter = ["status", "destination", "requires_approval", "is_demo"]
    search_fields = ["title", "slug", "city"]
    list_select_related = ["destination"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["destination"]
    filter_horizontal = ["audiences", "partners", "tags"]
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ["status_counts"]
    actions = ["message_registrants", "cancel_expeditions"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "destination", "city", "time_zone", "summary", "status", "is_demo")}),
        (_("Dates"), {"fields": ("starts_on", "ends_on", "registration_opens_at", "registration_closes_at",
                                 "cancellation_cutoff")}),
        (_("Places"), {"fields": ("capacity", "status_counts", "requires_approval", "offer_hours", "audiences")}),
        (_("Practical"), {"fields": ("price_euros", "price_includes", "language", "practical_info", "organiser_name",
                                     "organiser_email", "organiser_phone", "partners", "purge_after_days")}),
        (_("Themes"), {"fields": ("tags",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Once the trip exists, capacity and status change only through the services.
        return [*self.readonly_fields, "capacity", "status"] if obj is not None else self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        patched = []
        for name, options in fieldsets:
            fields = list(options["fields"])
            for owned, change in (("status", "new_status"), ("capacity", "new_capacity")):
                if owned in fields:
                    fields.insert(fields.index(owned) + 1, change)
            patched.append((name, {**options, "fields": fields}))
        return patched

    def get_queryset(self, request):
        return selectors.with_availability(super().get_queryset(request))

    @admin.display(description=_("places taken"))
    def places(self, obj):
        return f"{obj.places_taken} / {obj.capacity}"

    @admin.display(description=_("waiting"))
    def waiting(self, obj):
        return obj.waiting_count

    @admin.display(description=_("registrations per status"))
    def status_counts(self, obj):
        if not obj.pk:
            return "—"
        counts = selectors.status_counts(expedition_id=obj.pk)
        return format_html_join(", ", "{}: {}", ((Registration.Status(k).label, v) for k, v in counts.items() if v)) or "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        try:
            if form.cleaned_data.get("new_capacity") is not None:
                services.expedition_change_capacity(expedition_id=obj.pk, capacity=form.cleaned_data["new_capacity"])
            if form.cleaned_data.get("new_status"):
                services.expedition_change_status(expedition_id=obj.pk, status=form.cleaned_data["new_status"])
        except RegistrationError as error:  # changed meanwhile: the rest of the form is saved
            self.message_user(request, error.message, messages.ERROR)
        obj.refresh_from_db()

    def _cancel_consequences(self, queryset):
        trips = list(queryset)
        people = sum(e.places_held + e.waitlist_length for e in trips)
        yield ngettext("%d expedition will be cancelled, for good.", "%d expeditions will be cancelled, for good.",
                       len(trips)) % len(trips)
        yield ngettext("%d active registration will be cancelled and the person told by e-mail.",
                       "%d active registrations will be cancelled and each person told by e-mail.", people) % people

    @confirmed_action(description=_("Cancel the selected expeditions (and every registration)"),
                      consequences=lambda admin_, qs: admin_._cancel_consequences(qs))
    def cancel_expeditions(self, request, queryset):
        total = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                total += services.expedition_cancel(expedition_id=pk)
            except RegistrationError as error:
                self.message_user(request, f"#{pk}: {error.message}", messages.ERROR)
        self.message_user(request, ngettext("%d registration cancelled.", "%d registrations cancelled.", total) % total)

    @admin.action(description=_("Send a message to the registrants"), permissions=["change"])
    def message_registrants(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one expedition."), messages.WARNING)
            return None
        expedition = queryset.get()
        form = StaffMessageForm(request.POST if "send" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = services.expedition_message_registrants(
                expedition_id=expedition.pk, subject=form.cleaned_data["subject"], body=form.cleaned_data["message"],
                statuses=form.cleaned_data["statuses"])
            self.log_change(request, expedition, f"message sent to {count} registrants")
            self.message_user(request, ngettext("Message sent to %d person.", "Message sent to %d people.", count) % count)
            return None
        return TemplateResponse(request, "admin/expeditions/message_registrants.html", {
            **self.admin_site.each_context(request), "title": _("Send a message to the registrants"),
            "expedition": expedition, "form": form, "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class ExpeditionFilter(admin.SimpleListFilter):
    """The trips to filter by: the next ones (not ended yet, soonest first) and the one chosen,
    not a link per trip ever organised (a thousand links, read on every page). Any other trip:
    the search box (title or slug), or the same ``expedition__id__exact`` link as before."""

    title = _("expedition (next trips; others: search)")
    parameter_name = "expedition__id__exact"
    shown = 20

    def _chosen(self) -> int | None:
        value = self.value()
        if not value:
            return None
        if not str(value).isdigit() or len(str(value)) > 18:  # a wrong link: the admin's "?e=1"
            raise IncorrectLookupParameters
        return int(value)

    def lookups(self, request, model_admin):
        trips = list(Expedition.objects.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "pk")[:self.shown])
        chosen = self._chosen()
        if chosen is not None and all(trip.pk != chosen for trip in trips):
            trips[:0] = Expedition.objects.filter(pk=chosen)
        return [(str(trip.pk), f"{trip.title} ({formats.date_format(trip.starts_on, 'SHORT_DATE_FORMAT')})") for trip in trips]

    def queryset(self, request, queryset):
        chosen = self._chosen()
        return queryset if chosen is None else queryset.filter(expedition_id=chosen)


class CountedPerStatusPaginator(Paginator):
    """The registrations list's paginator: the page count comes from the counts per status the
    list shows above it (one GROUP BY over the filtered list, not a COUNT and a GROUP BY)."""

    @cached_property
    def counts_per_status(self) -> dict[str, int]:
        return selectors.registration_counts_per_status(self.object_list)

    @cached_property
    def count(self) -> int:
        return sum(self.counts_per_status.values())

    def page(self, number):
        """A page read by "deferred join": the page's ids first (the list's filters and order over
        the registrations' own columns and indexes, the rows before the page skipped there), then
        those rows with the person and the trip. Slicing the joined list instead joins every row
        before the page (page 500: 50,000 rows joined for 100 shown). Same rows, same order."""
        number = self.validate_number(number)
        if number == 1 or self.object_list.query.distinct:  # the first page gains nothing; DISTINCT keeps the plain way
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = self.count if bottom + self.per_page + self.orphans >= self.count else bottom + self.per_page
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CancellationRequestedFilter(admin.SimpleListFilter):
    title = _("cancellation requested")
    parameter_name = "cancellation_requested"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(cancellation_requested_at__isnull=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(OwnedFieldsAdminMixin, ReadableExportMixin, ExportMixin, HistoryAdmin):
    resource_classes = [ParticipantResource]
    change_list_template = "admin/expeditions/registration/change_list.html"
    formats = PortalImportExportMixin.formats
    # What staff look for, visible at 1280 px beside the filters: who, which trip, where it stands.
    list_display = ["participant", "trip", "status_summary", "payment", "created_at"]
    list_display_links = ["participant"]
    list_filter = ["status", "payment", CancellationRequestedFilter, "user__profile__audience", "user__profile__region",
                   ExpeditionFilter]
    search_fields = ["user__email", "user__first_name", "user__last_name", "passport_name", "expedition__title",
                     "expedition__slug", "invited_email", "invited_name", "group__organisation__legal_name"]
    list_select_related = ["user", "expedition"]  # what list_display shows (the file export reads its own columns)
    paginator = CountedPerStatusPaginator
    show_full_result_count = False  # one COUNT over the whole table less on every filtered page
    autocomplete_fields = ["expedition", "user"]
    readonly_fields = ["expedition", "user", "status", "waitlist_position", "offer_expires_at", "created_at",
                       "status_changed_at", "cancellation_requested_at", "sensitive_data_purged_at", "payment", "group",
                       "invited_email", "accepted_at"]
    # No "mark invoiced/paid" here: the payment state follows billing's documents (an invoice issued,
    # a payment recorded on it), never a click beside them.
    actions = ["confirm", "refuse", "offer_place", "cancel"]

    def has_add_permission(self, request):
        return False  # registrations are created through the registration service only

    def action_checkbox(self, obj):
        """Django's checkbox, the same markup, written directly: not a form widget's template
        rendered once per row (a third of the list's time)."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           admin.helpers.ACTION_CHECKBOX_NAME, str(obj.pk), label)

    @admin.display(description=_("participant"), ordering="user__last_name")
    def participant(self, obj):
        return obj.person_label

    @admin.display(description=_("expedition"), ordering="expedition__starts_on")
    def trip(self, obj):
        title = obj.expedition.title
        return f"{title[:45]}…" if len(title) > 46 else title

    @admin.display(description=_("status"), ordering="status")
    def status_summary(self, obj):
        label = obj.status_label
        if obj.waitlist_position:
            return _("%(status)s — position %(n)s") % {"status": label, "n": obj.waitlist_position}
        if obj.offer_expires_at:
            return _("%(status)s — until %(date)s") % {
                "status": label, "date": formats.date_format(timezone.localtime(obj.offer_expires_at), "SHORT_DATETIME_FORMAT")}
        return label

    @admin.display(description=_("audience"))
    def audience(self, obj):
        profile = getattr(obj.user, "profile", None)
        return profile.audience if profile else "—"

    @admin.display(description=_("region"))
    def region(self, obj):
        profile = getattr(obj.user, "profile", None)
        return profile.region if profile else "—"

    def changelist_view(self, request, extra_context=None):
        """Counts per status of the filtered list (one expedition when filtered by it), from the
        query that also counts the list for its pages (CountedPerStatusPaginator)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        paginator = getattr(changelist, "paginator", None)
        if isinstance(paginator, CountedPerStatusPaginator):
            counts = paginator.counts_per_status
            response.context_data["status_counts"] = [(label, counts.get(code, 0)) for code, label in Registration.Status.choices]
        return response

    def _run(self, request, queryset, service, done_message, **kwargs):
        done, errors = 0, []
        for pk in queryset.order_by("waitlist_position", "pk").values_list("pk", flat=True):
            try:
                service(registration_id=pk, **kwargs)
                done += 1
            except RegistrationError as error:
                errors.append(f"#{pk}: {error.message}")
        if done:
            self.message_user(request, done_message % done, messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @confirmed_action(description=_("Confirm (approve) the selected registrations"), consequences=lambda a, qs: [
        _("Each pending registration selected is confirmed for good and the person told by e-mail."),
        _("Registrations that are not pending are left as they are, with a message."),
    ])
    def confirm(self, request, queryset):
        self._run(request, queryset, services.registration_confirm, _("%d registration(s) confirmed."))

    @confirmed_action(description=_("Refuse the selected registrations"), consequences=lambda a, qs: [
        _("Each pending registration selected is refused and the person told by e-mail."),
        _("The places they held go at once to the next people on the waiting list."),
    ])
    def refuse(self, request, queryset):
        self._run(request, queryset, services.registration_refuse, _("%d registration(s) refused."))

    @confirmed_action(description=_("Offer a free place to the selected waitlisted people"), consequences=lambda a, qs: [
        _("Each person selected gets a place to accept before the trip's deadline, out of turn, while places are free."),
        _("Each person is told by e-mail."),
    ])
    def offer_place(self, request, queryset):
        self._run(request, queryset, services.registration_offer_place, _("%d place(s) offered."))

    @confirmed_action(description=_("Cancel the selected registrations (accepts cancellation requests)"),
                      consequences=lambda a, qs: [
        _("Each active registration selected is cancelled for good and the person told by e-mail."),
        _("The places they held go at once to the next people on the waiting list."),
    ])
    def cancel(self, request, queryset):
        self._run(request, queryset, services.registration_cancel, _("%d registration(s) cancelled."), by_staff=True)


class GroupPlaceInline(admin.TabularInline):
    """A group's places: each is a registration, changed through the registrations' actions."""

    model = Registration
    fk_name = "group"
    extra = 0
    can_delete = False
    fields = ["invited_name", "invited_email", "user", "status", "waitlist_position", "accepted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GroupRegistration)
class GroupRegistrationAdmin(OwnedFieldsAdminMixin, HistoryAdmin):
    """Groups are registered by an organisation's contact; staff read them here and confirm, refuse
    or cancel each place from the registrations' list (the same services)."""

    list_display = ["expedition", "organisation", "contact", "mode", "details_due_at", "created_at"]
    list_filter = ["mode", "expedition"]
    search_fields = ["organisation__legal_name", "organisation__siret", "contact__email", "expedition__title"]
    list_select_related = ["expedition", "organisation", "contact"]
    readonly_fields = ["expedition", "organisation", "contact", "mode", "details_due_at", "created_at"]
    fields = [*readonly_fields, "po_reference"]
    inlines = [GroupPlaceInline]

    def has_add_permission(self, request):
        return False
