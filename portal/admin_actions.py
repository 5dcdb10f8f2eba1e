"""A second step for admin actions that change states (Django's own "delete selected" pattern).

``@confirmed_action(...)`` wraps a ModelAdmin action: the first POST from the changelist renders
a page that lists the selected objects and says what will happen (``consequences(queryset)``,
sentences, given the ModelAdmin and the queryset); the action runs only when that page is
posted back with ``post=yes``.
An optional form (a reason, say) is shown on the page and its cleaned data passed to the action.
Actions where nothing is lost (marking paid, sending an invitation again) keep one click.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse


def confirmed_action(
    *,
    description: str,
    consequences: Callable[[object, object], Iterable[str]],
    permissions: tuple[str, ...] = ("change",),
    form_class: type[forms.Form] | None = None,
):
    def decorator(func):
        @admin.action(description=description, permissions=permissions)
        @functools.wraps(func)
        def wrapper(modeladmin, request, queryset):
            confirmed = request.POST.get("post") == "yes"
            form = form_class(request.POST if confirmed else None) if form_class else None
            if confirmed and (form is None or form.is_valid()):
                if form is None:
                    return func(modeladmin, request, queryset)
                return func(modeladmin, request, queryset, **form.cleaned_data)
            opts = modeladmin.model._meta
            return TemplateResponse(request, "admin/portal/confirm_action.html", {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "objects": list(queryset),
                "consequences": list(consequences(modeladmin, queryset)),
                "form": form,
                "action": request.POST.get("action", func.__name__),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": opts,
                "app_label": opts.app_label,
            })

        return wrapper

    return decorator
