"""CSV downloads, the DCAT catalogue (JSON-LD), the API's documentation page and the open-data page."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api import datasets, selectors
from api.views import DemoQuery, PublicView
from portal.exports import neutralise_formula


class FirstRenderer(BaseContentNegotiation):
    """These resources have one format whatever the client's Accept header."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(data["columns"])
        for row in data["rows"]:
            writer.writerow([_cell(row.get(column)) for column in data["columns"]])
        return buffer.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise_formula(value)


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class _SingleFormat(PublicView):
    content_negotiation_class = FirstRenderer

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:  # refusals are JSON, as everywhere in the API
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


@extend_schema(exclude=True)
class DatasetCSV(_SingleFormat):
    renderer_classes = [CSVRenderer]
    query_class = DemoQuery

    def keeps_answers(self) -> bool:
        return self.kwargs.get("key") != "expeditions"  # places left are live

    def get(self, request, key: str):
        from rest_framework.exceptions import NotFound

        params = self.query(request)
        dataset = datasets.DATASETS.get(key)
        if dataset is None:
            raise NotFound(_("No such dataset."))
        rows = list(dataset.rows({"request": request, "include_demo": params["include_demo"]}))
        response = Response({"columns": dataset.columns, "rows": rows})
        response["Content-Disposition"] = f'attachment; filename="medef-numerique-{key}.csv"'
        response["Link"] = f'<{datasets.LICENSE_URL}>; rel="license"'
        return response


def _both(text) -> list[dict]:
    values = []
    for language in ("fr", "en"):
        with translation.override(language):
            values.append({"@language": language, "@value": str(text)})
    return values


@extend_schema(exclude=True)
class Catalog(_SingleFormat):
    """A dcat:Catalog that an open-data portal (data.gouv.fr) can harvest: each dataset with its
    licence, an API distribution (the list endpoint, described by the OpenAPI schema) and a CSV."""

    renderer_classes = [JSONLDRenderer]

    def get(self, request):
        self.query(request)
        absolute = request.build_absolute_uri
        license_ref = {"@id": datasets.LICENSE_URL, "dct:identifier": datasets.LICENSE_SPDX,
                       "dct:title": datasets.LICENSE_NAME, "owl:sameAs": datasets.SPDX_URL}
        publisher = {"@type": "foaf:Organization", "foaf:name": "Medef", "foaf:homepage": absolute("/")}
        service = {
            "@id": absolute(reverse("api:schema")) + "#service",
            "@type": "dcat:DataService",
            "dct:title": _both(_("Medef numérique open data API")),
            "dcat:endpointURL": {"@id": absolute("/api/v1/")},
            "dcat:endpointDescription": {"@id": absolute(reverse("api:schema"))},
            "dcat:landingPage": {"@id": absolute(reverse("api:docs"))},
            "dct:license": license_ref,
        }
        page = absolute(_open_data_url())

        def dataset_node(key, title, description, api_url_name, csv_urls):
            distributions = [{
                "@type": "dcat:Distribution",
                "dct:title": _both(_("JSON API")),
                "dcat:accessURL": {"@id": absolute(reverse(api_url_name))},
                "dcat:accessService": {"@id": service["@id"]},
                "dcat:mediaType": "application/json",
                "dct:format": "JSON",
                "dct:license": license_ref,
            }]
            for title_csv, url in csv_urls:
                distributions.append({
                    "@type": "dcat:Distribution",
                    "dct:title": title_csv,
                    "dcat:downloadURL": {"@id": absolute(url)},
                    "dcat:accessURL": {"@id": absolute(url)},
                    "dcat:mediaType": "text/csv",
                    "dct:format": "CSV",
                    "dct:license": license_ref,
                })
            return {
                "@id": f"{page}#{key}",
                "@type": "dcat:Dataset",
                "dct:identifier": key,
                "dct:title": _both(title),
                "dct:description": _both(description),
                "dct:license": license_ref,
                "dct:publisher": publisher,
                "dcat:landingPage": {"@id": f"{page}#{key}"},
                "dcat:distribution": distributions,
            }

        nodes = [
            dataset_node(d.key, d.title, d.description, d.api_url_name,
                         [(f"{d.key}.csv", reverse("api:dataset-csv", args=[d.key]))])
            for d in datasets.DATASETS.values()
        ]
        b = datasets.BAROMETER
        quarters = selectors.quarter_list().filter(published=True).order_by("-starts_on").values_list("quarter", flat=True)[:40]
        nodes.append(dataset_node(b["key"], b["title"], b["description"], b["api_url_name"],
                                  [(f"{q}.csv", reverse("diagnostic:barometer_csv", args=[q])) for q in quarters]))
        catalog = {
            "@context": {
                "dcat": "http://www.w3.org/ns/dcat#",
                "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/",
                "owl": "http://www.w3.org/2002/07/owl#",
            },
            "@id": absolute(reverse("api:catalog")),
            "@type": "dcat:Catalog",
            "dct:title": _both(_("Medef numérique — open data")),
            "dct:description": _both(_("Public data of the Medef programme for the digital transformation of companies.")),
            "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
                             {"@id": "http://publications.europa.eu/resource/authority/language/ENG"}],
            "dct:license": license_ref,
            "dct:publisher": publisher,
            "foaf:homepage": {"@id": page},
            "dcat:service": [service],
            "dcat:dataset": nodes,
        }
        return Response(catalog)


def _open_data_url() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("opendata:index")


def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI (vendored, static/vendor/swagger-ui/) started by a static script: no inline code (CSP)."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})


def page(request: HttpRequest) -> HttpResponse:
    """The datasets, their licence and where to get them, in the site's design."""
    entries = [
        {"key": d.key, "title": d.title, "description": d.description, "api": reverse(d.api_url_name),
         "csv": reverse("api:dataset-csv", args=[d.key])}
        for d in datasets.DATASETS.values()
    ]
    b = datasets.BAROMETER
    return render(request, "api/open_data.html", {
        "datasets": entries,
        "barometer": {"key": b["key"], "title": b["title"], "description": b["description"], "api": reverse(b["api_url_name"]),
                      "page": reverse("diagnostic:barometer")},
        "license_name": datasets.LICENSE_NAME, "license_spdx": datasets.LICENSE_SPDX, "license_url": datasets.LICENSE_URL,
        "docs_url": reverse("api:docs"), "schema_url": reverse("api:schema"), "catalog_url": reverse("api:catalog"),
    })
