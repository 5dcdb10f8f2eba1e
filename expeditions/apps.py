from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpeditionsConfig(AppConfig):
    name = "expeditions"
    verbose_name = _("Learning expeditions")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from expeditions.models import Destination, Expedition, ProgrammeItem, Tag
        from portal import dashboard, personal_data
        from portal.models import Audience, Partner
        from portal.notifications.kinds import NotificationKind, register_kind

        from . import dashboard as expedition_dashboard
        from . import personal_data as expedition_data
        from .dashboard import me_section_context

        kinds = [
            ("received", _("Expedition registration received (awaiting approval)")),
            ("confirmed", _("Expedition registration confirmed")),
            ("waitlisted", _("Put on an expedition's waiting list")),
            ("offered", _("A place on an expedition is offered to you")),
            ("offer_expiring", _("An offered expedition place expires in 24 hours")),
            ("offer_expired", _("An offered expedition place has expired")),
            ("refused", _("Expedition registration refused")),
            ("cancelled", _("Expedition registration cancelled")),
            ("reminder", _("Expedition departure reminders (7 days and 1 day before)")),
            ("staff_message", _("Messages from an expedition's organisers")),
            ("cancellation_requested", _("A participant asks to cancel after the deadline (to organisers)")),
            ("group_invitation", _("A colleague registers you for an expedition with your organisation")),
            ("group_reminder", _("Reminder: complete your details for a group's expedition")),
            ("group_substituted", _("Your organisation gave your expedition place to a colleague")),
            ("group_offered", _("Places are offered to your group (to its contact)")),
        ]
        for code, label in kinds:
            register_kind(NotificationKind(code=f"expeditions.{code}", label=label, optional=False,
                                           template=f"expeditions/emails/{code}"))
        personal_data.register("expeditions", export=expedition_data.export, erase=expedition_data.erase, order=20)
        personal_data.describe(
            "expeditions", position=10, title=_("Learning expeditions"),
            holds=_("Your registrations (status, place on the waiting list), the passport name, dietary needs and remarks "
                    "you give for a trip, your billing details, and your calendar feed's secret address."),
            purpose=_("To organise the trip (places, visas, hotels, meals) and to invoice it."),
            retention=_("Passport name and dietary needs are erased a set number of days after the trip (30 unless the "
                        "trip says otherwise); the rest as long as your account exists. Invoices are kept ten years and "
                        "survive the account's deletion (see “Quotes and invoices”)."),
        )
        dashboard.register_section("expeditions", title=_("My learning expeditions"),
                                   template="expeditions/_me_section.html", context=me_section_context, order=10)
        dashboard.register_todo("expeditions", items=expedition_dashboard.todo_items, order=10)
        dashboard.register_home_block("expeditions", template="expeditions/_home_block.html",
                                      context=expedition_dashboard.home_context, order=10)
        post_delete.connect(_registration_deleted, sender="expeditions.Registration",
                            dispatch_uid="expeditions.registration_deleted")
        # the cached catalogue pages (expeditions.catalogue_cache); places are read live
        post_save.connect(_expedition_changed, sender=Expedition, dispatch_uid="expeditions.expedition_saved")
        post_delete.connect(_expedition_changed, sender=Expedition, dispatch_uid="expeditions.expedition_deleted")
        # the detail page's cached fixed part is keyed on updated_at: renames reach it at once
        post_save.connect(_destination_saved, sender=Destination, dispatch_uid="expeditions.destination_saved")
        post_save.connect(_partner_saved, sender=Partner, dispatch_uid="expeditions.partner_saved")
        post_save.connect(_audience_saved, sender=Audience, dispatch_uid="expeditions.audience_saved")
        post_save.connect(_tag_saved, sender=Tag, dispatch_uid="expeditions.tag_saved")  # the API shows tags
        for model in (Destination, Audience):  # the catalogue's filter choices
            post_delete.connect(_expedition_changed, sender=model, dispatch_uid=f"expeditions.choice_deleted.{model.__name__}")
        # a deleted partner or audience leaves its trips without m2m_changed: touch them while
        # the links still exist
        pre_delete.connect(_partner_deleting, sender=Partner, dispatch_uid="expeditions.partner_deleting")
        pre_delete.connect(_audience_deleting, sender=Audience, dispatch_uid="expeditions.audience_deleting")
        pre_delete.connect(_tag_deleting, sender=Tag, dispatch_uid="expeditions.tag_deleting")
        # programme items edited anywhere (not only in the trip's admin inline)
        post_save.connect(_programme_item_changed, sender=ProgrammeItem, dispatch_uid="expeditions.item_saved")
        post_delete.connect(_programme_item_changed, sender=ProgrammeItem, dispatch_uid="expeditions.item_deleted")
        for through in (Expedition.partners.through, Expedition.audiences.through, Expedition.tags.through):
            m2m_changed.connect(_expedition_m2m_changed, sender=through, dispatch_uid=f"expeditions.m2m.{through.__name__}")


def _registration_deleted(sender, instance, **kwargs) -> None:
    from expeditions.services import registration_after_delete

    registration_after_delete(registration=instance)


def _expedition_changed(sender, instance, **kwargs) -> None:
    from expeditions import catalogue_cache

    catalogue_cache.changed()


def _destination_saved(sender, instance, created, **kwargs) -> None:
    from expeditions import catalogue_cache
    from expeditions.services.catalogue import expeditions_touch

    catalogue_cache.changed()  # the catalogue's filters list them
    if not created and not kwargs.get("raw"):
        expeditions_touch(destination_id=instance.pk)


def _partner_saved(sender, instance, created, **kwargs) -> None:
    if not created and not kwargs.get("raw"):
        from expeditions.services.catalogue import expeditions_touch

        expeditions_touch(partner_id=instance.pk)


def _audience_saved(sender, instance, created, **kwargs) -> None:
    from expeditions import catalogue_cache
    from expeditions.services.catalogue import expeditions_touch

    catalogue_cache.changed()  # the catalogue's filters list them
    if not created and not kwargs.get("raw"):
        expeditions_touch(audience_id=instance.pk)


def _expedition_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from expeditions.services.catalogue import expeditions_touch

    if not reverse:
        expeditions_touch(expedition_ids=[instance.pk])
    elif pk_set:
        expeditions_touch(expedition_ids=list(pk_set))


def _tag_saved(sender, instance, created, **kwargs) -> None:
    if not created and not kwargs.get("raw"):
        from expeditions.services.catalogue import expeditions_touch

        expeditions_touch(tag_id=instance.pk)


def _tag_deleting(sender, instance, **kwargs) -> None:
    from expeditions.services.catalogue import expeditions_touch

    expeditions_touch(tag_id=instance.pk)


def _partner_deleting(sender, instance, **kwargs) -> None:
    from expeditions.services.catalogue import expeditions_touch

    expeditions_touch(partner_id=instance.pk)


def _audience_deleting(sender, instance, **kwargs) -> None:
    from expeditions.services.catalogue import expeditions_touch

    expeditions_touch(audience_id=instance.pk)


def _programme_item_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        from expeditions.services.catalogue import expeditions_touch

        expeditions_touch(expedition_ids=[instance.expedition_id])
