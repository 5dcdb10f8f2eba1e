"""Organisations in the staff's workplace: identity and billing details, members, invitations.

Members are added through ``member_add_by_staff`` (its consequences, e.g. a juror's conflict of
interest, apply); invitations are written by members in their space and only read here.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisations import services
from organisations.models import Invitation, Membership, Organisation
from organisations.resources import OrganisationResource
from portal.exports import PortalImportExportMixin
from portal.history import HistoryAdmin
from portal.ownership import OwnedFieldsAdminMixin


class MembershipInline(admin.TabularInline):
    """Adding someone here is ``member_add_by_staff`` (see ``MembershipAdminMixin.save_formset``)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    service_routed_fields = frozenset({"user"})


class MembershipAdminMixin:
    """Saves the members inline through the service, whichever admin shows it."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership.delete()
        for membership in memberships:
            if membership.pk is not None:
                previous = Membership.objects.get(pk=membership.pk)
                if previous.user_id != membership.user_id:
                    previous.delete()  # another person: a new membership, with its consequences
            services.member_add_by_staff(organisation=form.instance, user=membership.user, role=membership.role,
                                         by=request.user)
        return None


@admin.register(Organisation)
class OrganisationAdmin(MembershipAdminMixin, OwnedFieldsAdminMixin, PortalImportExportMixin, HistoryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["legal_name", "siret", "vat_number", "legal_form", "billing_city", "region", "is_demo"]
    list_filter = ["legal_form", "region", "is_demo"]
    search_fields = ["legal_name", "siret", "vat_number"]
    list_select_related = ["region"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["legal_name", "siret", "vat_number", "legal_form", "is_demo", "created_at"]}),
        (_("Billing address"), {"fields": ["billing_address_line1", "billing_address_line2", "billing_postal_code",
                                           "billing_city", "billing_country"]}),
        (_("Size and region"), {"fields": ["region", "headcount", "turnover_eur", "balance_sheet_eur", "created_on",
                                           "independence_declared"]}),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are written by members in their space (never here): staff read them."""

    list_display = ["email", "organisation", "status_label", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__legal_name", "organisation__siret"]
    list_select_related = ["organisation", "invited_by"]
    exclude = ["token"]
    readonly_fields = [
        "organisation", "email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by", "declined_at",
        "revoked_at",
    ]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
