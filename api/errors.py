"""Every refusal of the API has the same body: ``{"detail": "why", "errors": {"param": ["why"]}}``,
in the answer's language (French by default)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the answer's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="For a refused parameter: its name and why it was refused.",
    )


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in response.data.items()}
        response.data = {"detail": _("A parameter is not valid."), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    else:
        response.data = {"detail": str(response.data)}
    return response
