"""The HTTP API for gauges (POST readings with the station's token) and open data exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from pctt.core.nul import contains_nul, without_nul
from pctt.hazards import actions, status
from pctt.hazards.core.readings import Reason, RejectedReading, parse_time
from pctt.hazards.ingest import MAX_BATCH, RAW_KEPT
from pctt.hazards.models import QuarantinedReading, Station
from pctt.hazards.models.observations import Source

MAX_BODY_BYTES = 256 * 1024  # 1,000 readings of ~150 bytes, with room to spare
MAX_EXPORT_ROWS = 50_000


def _error(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status_code)


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _quarantine_body(station: Station, body: bytes, detail: str) -> None:
    QuarantinedReading.objects.create(
        source=Source.HTTP,
        station_code=station.code,
        reason=Reason.MALFORMED,
        detail=without_nul(detail[:300]),
        raw=without_nul(body[:RAW_KEPT].decode("utf-8", errors="replace")),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def observations(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return export(request)
    station = actions.station_for_token(_bearer(request))
    if station is None:
        return _error(401, "unauthorized", "send the station's token: Authorization: Bearer …")
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, "too_large", f"a request body may be at most {MAX_BODY_BYTES} bytes")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", f"a request body may be at most {MAX_BODY_BYTES} bytes")
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        _quarantine_body(station, body, f"body is not JSON: {exc}")
        return _error(400, "invalid_json", f"the body is not JSON: {exc}")
    if contains_nul(data):
        _quarantine_body(station, body, "a text in the body holds a NUL character")
        return _error(400, "nul_character", "texts in the body may not hold NUL (\\u0000)")
    readings = data.get("readings") if isinstance(data, dict) else data
    if not isinstance(readings, list):
        _quarantine_body(station, body, "no list of readings")
        return _error(400, "no_readings", 'send {"readings": [{"time": …, "value": …}, …]}')
    if len(readings) > MAX_BATCH:
        return _error(413, "too_many", f"at most {MAX_BATCH} readings per request")
    result = actions.receive_readings(readings, source=Source.HTTP, only_station=station)
    return JsonResponse(result.as_json())


def _since(request: HttpRequest) -> datetime | None:
    raw = request.GET.get("since")
    return parse_time(raw) if raw else None


def export(request: HttpRequest) -> HttpResponse:
    """Observations of one station as CSV or JSON (open data, as the plan's clause C5 asks)."""
    code = request.GET.get("station", "")
    # No station code holds NUL, and PostgreSQL refuses NUL in a query parameter.
    station = None if contains_nul(code) else Station.objects.filter(code=code).first()
    if station is None:
        return _error(404, "unknown_station", "give ?station=CODE of a known station")
    try:
        since = _since(request)
    except RejectedReading as exc:
        return _error(400, "bad_since", exc.detail)
    rows = station.observations.order_by("observed_at")
    if since is not None:
        rows = rows.filter(observed_at__gte=since)
    values = list(rows.values_list("observed_at", "value", "is_forecast")[:MAX_EXPORT_ROWS])
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["station", "time", "value", "unit", "forecast"])
        for at, value, forecast in values:
            writer.writerow([station.code, at.isoformat(), value, station.unit, int(forecast)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{station.code}.csv"'
        return response
    return JsonResponse(
        {
            "station": station.code,
            "unit": station.unit,
            "observations": [
                {"time": at.isoformat(), "value": value, "forecast": forecast}
                for at, value, forecast in values
            ],
        }
    )


@require_GET
def stations(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"stations": [status.describe(s) for s in Station.objects.all()]})
