from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from portal import personal_data
from portal.exports import PortalImportExportMixin, PortalResource
from portal.models import Audience, Notification, Partner, Profile, Region, User
from portal.notifications.services import notification_retry_failed


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["audience", "region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def delete_model(self, request, obj):
        # Through the personal-data registry, as "delete my account" does: each app anonymises
        # what must be kept and removes files and history; a bare cascade would skip all that.
        personal_data.user_account_delete(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            personal_data.user_account_delete(user)

    def get_inlines(self, request, obj):
        # Saving a new user creates its profile (portal.signals): an inline profile on the add
        # page would be a second one (IntegrityError). The profile is edited once the user exists.
        return self.inlines if obj is not None else []


class AudienceResource(PortalResource):
    class Meta:
        model = Audience
        fields = ("id", "code", "name_fr", "name_en", "position")
        import_id_fields = ("code",)


@admin.register(Audience)
class AudienceAdmin(PortalImportExportMixin, TranslationAdmin):
    resource_classes = [AudienceResource]
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


class PartnerResource(PortalResource):
    class Meta:
        model = Partner
        fields = ("id", "slug", "name_fr", "name_en", "description_fr", "description_en", "website")
        import_id_fields = ("slug",)


@admin.register(Partner)
class PartnerAdmin(PortalImportExportMixin, TranslationAdmin):
    resource_classes = [PartnerResource]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, chosen now
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient_email", "language", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["recipient_email", "subject", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A held row waits for its batch (contest results): only the batch's own cancel deletes it.
        if obj is not None and obj.state == Notification.State.HELD:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        held = queryset.filter(state=Notification.State.HELD).count()
        if held:
            self.message_user(request, ngettext(
                "%d held notification was kept: cancel its publication to delete it.",
                "%d held notifications were kept: cancel their publication to delete them.", held) % held,
                messages.WARNING)
        super().delete_queryset(request, queryset.exclude(state=Notification.State.HELD))

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Retry the selected failed notifications"), permissions=["change"])
    def retry_failed(self, request, queryset):
        ids = list(queryset.filter(state=Notification.State.FAILED).values_list("pk", flat=True))
        count = notification_retry_failed(notification_ids=ids)
        for obj in queryset.filter(pk__in=ids):
            self.log_change(request, obj, "retry after failure")
        self.message_user(
            request,
            ngettext("%d notification queued again.", "%d notifications queued again.", count) % count,
            messages.SUCCESS,
        )
