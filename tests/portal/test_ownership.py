"""No side door: a field a service owns (``SERVICE_OWNED_FIELDS`` beside each app's services) is
never editable in an admin form, an inline or a changelist, and never imported — unless the
admin or the resource routes it through the service (``service_routed_fields``)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from portal.exports import PortalResource
from portal.ownership import owned_fields
from tests.expeditions.factories import admin_form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _admins():
    return sorted(admin.site._registry.values(), key=lambda ma: ma.model._meta.label)


def _resources():
    found, todo = [], [PortalResource]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub._meta.model is not None:
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def _routed(obj) -> set[str]:
    return set(getattr(obj, "service_routed_fields", ()))


def test_every_app_declares_the_fields_its_services_own():
    from contests.models import Edition, Submission
    from expeditions.models import Expedition, Registration
    from measures.models import Measure
    from mooc.models import Enrollment

    assert {"capacity", "status"} <= owned_fields(Expedition)
    assert {"status", "waitlist_position", "payment"} <= owned_fields(Registration)
    assert {"state", "rank", "prize", "feedback"} <= owned_fields(Submission)
    assert {"published_at", "deliberation_started_at"} <= owned_fields(Edition)
    assert "is_active" in owned_fields(Enrollment)
    assert {"status", "progress"} <= owned_fields(Measure)


@pytest.mark.parametrize("model_admin", _admins(), ids=lambda ma: ma.model._meta.label)
def test_no_admin_change_form_edits_a_field_a_service_owns(model_admin, superuser_request):
    model = model_admin.model
    obj = model(pk=10**9)  # the change form of an existing object
    leaks = []
    owned = owned_fields(model) - _routed(model_admin)
    if not owned and not any(owned_fields(inline.model) for inline in model_admin.inlines):
        return  # nothing a service owns here (some admins need a real object's relations to answer)
    if model_admin.has_change_permission(superuser_request, obj):
        form = model_admin.get_form(superuser_request, obj, change=True)
        leaks += [f"{model._meta.label}.{name} (form)" for name in sorted(set(form.base_fields) & owned)]
    leaks += [f"{model._meta.label}.{name} (list_editable)" for name in sorted(set(model_admin.list_editable) & owned)]
    for inline in model_admin.get_inline_instances(superuser_request, obj):
        inline_owned = owned_fields(inline.model) - _routed(inline)
        if not (inline.has_change_permission(superuser_request, obj) or inline.has_add_permission(superuser_request, obj)):
            continue
        formset = inline.get_formset(superuser_request, obj)
        inline_owned -= {formset.fk.name}  # set from the parent, never a choice in the form
        leaks += [
            f"{inline.model._meta.label}.{name} (inline of {model._meta.label})"
            for name in sorted(set(formset.form.base_fields) & inline_owned)
        ]
    assert leaks == []


@pytest.mark.parametrize("resource_class", _resources(), ids=lambda c: c.__qualname__)
def test_no_import_resource_writes_a_field_a_service_owns(resource_class):
    resource = resource_class()
    if not resource.import_allowed:
        return  # export-only: PortalResource refuses to import it at all
    owned = owned_fields(resource._meta.model) - _routed(resource)
    importable = {f.attribute.split("__")[0] for f in resource.get_import_fields() if f.attribute}
    assert sorted(importable & owned) == []


def test_export_only_resources_refuse_to_import():
    import tablib

    from expeditions.resources import ParticipantResource

    result = ParticipantResource().import_data(tablib.Dataset(headers=["id"]), dry_run=True)
    assert result.has_errors()


def test_history_pages_show_past_versions_but_never_write_them_back(client):
    from expeditions import services
    from expeditions.models import Registration
    from tests.expeditions.factories import ExpeditionFactory, participant

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    expedition = ExpeditionFactory(capacity=1)
    first = services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="A")
    second = services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="B")
    confirmed_version = first.history.order_by("history_id").last()
    services.registration_cancel(registration_id=first.pk, by_staff=True)  # the place is offered to B
    url = f"/admin/expeditions/registration/{first.pk}/history/{confirmed_version.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"passport_name": "A", "_save": "1"}).status_code == 403
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Registration.Status.CANCELLED, Registration.Status.OFFERED)
    for model_admin in _admins():
        from simple_history.admin import SimpleHistoryAdmin

        from portal.history import HistoryAdmin

        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model_admin


def test_saving_an_admin_form_never_writes_back_counters_a_service_changed_meanwhile(client):
    from expeditions import services
    from expeditions.models import Expedition
    from tests.expeditions.factories import ExpeditionFactory, participant

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    expedition = ExpeditionFactory(capacity=5, title_fr="Avant")
    url = f"/admin/expeditions/expedition/{expedition.pk}/change/"
    form = client.get(url).context["adminform"].form  # the page staff have open…
    services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="A")  # …meanwhile
    data = admin_form_data(form, expedition, title_fr="Après", price_euros="0")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    expedition = Expedition.objects.get(pk=expedition.pk)
    assert (expedition.title_fr, expedition.places_held, expedition.capacity) == ("Après", 1, 5)
