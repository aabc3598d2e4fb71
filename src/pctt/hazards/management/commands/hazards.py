"""`pctt hazards …`: alarm level of a water level, CSV import, MQTT subscriber, tokens."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pctt.hazards import actions, mqtt
from pctt.hazards.core.levels import ROMAN, alarm_level, bulletin_phrase, next_threshold
from pctt.hazards.ingest import BatchResult
from pctt.hazards.models import Station
from pctt.hazards.models.observations import Source
from pctt.hazards.official import install_official_stations

CSV_BATCH = 500
MAX_CSV_BYTES = 200_000_000


class Command(BaseCommand):
    help = "Hazard monitoring: levels, CSV import, MQTT subscriber, station tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        level = sub.add_parser("level", help="alarm level of a water level at a station")
        level.add_argument("--station", required=True)
        level.add_argument("--water-level", type=float, required=True)
        level.add_argument("--json", action="store_true")
        imported = sub.add_parser("import-csv", help="readings from CSV: station,time,value[,unit]")
        imported.add_argument("file")
        sub_mqtt = sub.add_parser("mqtt", help="subscribe to gauges over MQTT (runs until stopped)")
        sub_mqtt.add_argument("--host", default=os.environ.get("PCTT_MQTT_HOST", "127.0.0.1"))
        sub_mqtt.add_argument("--port", type=int, default=1883)
        sub_mqtt.add_argument("--topic", default=mqtt.DEFAULT_PATTERN)
        token = sub.add_parser("token", help="issue a new ingest token for a station")
        token.add_argument("--station", required=True)
        token.add_argument("--as-user", required=True, help="administrator issuing it (audited)")
        sub.add_parser("install-official", help="add the stations official decisions set")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["verb"].replace("-", "_"))(options)

    def _station(self, code: str) -> Station:
        station = Station.objects.filter(code=code).first()
        if station is None:
            raise CommandError(f"no station with code {code!r}")
        return station

    def _level(self, options: dict[str, Any]) -> None:
        station = self._station(options["station"])
        threshold_set = station.threshold_set()
        if threshold_set is None:
            raise CommandError(f"station {station.code} has no alarm thresholds")
        thresholds, water = threshold_set.thresholds(), options["water_level"]
        level = alarm_level(water, thresholds)
        upcoming = next_threshold(water, thresholds)
        data = {
            "station": station.code,
            "water_level": water,
            "alarm_level": level,
            "phrase": bulletin_phrase(water, thresholds),
            "next_level": upcoming.level if upcoming else None,
            "distance_to_next": upcoming.distance if upcoming else None,
            "thresholds": [thresholds.bd1, thresholds.bd2, thresholds.bd3],
            "source": threshold_set.citation,
            "fictional": threshold_set.is_fictional,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        name = f"BĐ{ROMAN[level]}" if level else "below BĐI"
        self.stdout.write(f"{station.code}: {water:.2f} m → {name} ({data['phrase']})")
        if upcoming:
            self.stdout.write(f"next: BĐ{ROMAN[upcoming.level]} in {upcoming.distance:.2f} m")
        self.stdout.write(f"thresholds: {data['thresholds']} — {data['source']}")

    def _import_csv(self, options: dict[str, Any]) -> None:
        from rich.progress import Progress

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        if path.stat().st_size > MAX_CSV_BYTES:
            raise CommandError(f"file larger than {MAX_CSV_BYTES} bytes; split it")
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        rows = list(csv.DictReader(io.StringIO(text)))
        missing = {"station", "time", "value"} - set(rows[0] if rows else {})
        if missing:
            raise CommandError(
                f"the CSV needs columns station,time,value; missing {sorted(missing)}"
            )
        total = BatchResult()
        with Progress(transient=True) as progress:
            bar = progress.add_task("import", total=len(rows))
            for start in range(0, len(rows), CSV_BATCH):
                part = [dict(r) for r in rows[start : start + CSV_BATCH]]
                for row in part:
                    row.pop(None, None)  # extra cells without a header
                result = actions.receive_readings(part, source=Source.CSV)
                total.accepted += result.accepted
                total.duplicates += result.duplicates
                total.rejected += [replace(r, index=r.index + start) for r in result.rejected]
                total.proposals += result.proposals
                progress.advance(bar, len(part))
        self.stdout.write(
            f"{total.accepted} accepted, {total.duplicates} duplicates, "
            f"{len(total.rejected)} quarantined, {len(total.proposals)} proposals"
        )
        for rejection in total.rejected[:20]:
            self.stdout.write(
                f"  line {rejection.index + 2}: {rejection.reason}: {rejection.detail}"
            )

    def _mqtt(self, options: dict[str, Any]) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write(
            f"subscribing to {options['topic']} on {options['host']}:{options['port']}"
        )
        mqtt.subscribe(
            host=options["host"], port=options["port"], pattern=options["topic"], stop=stop
        )

    def _token(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"no user {options['as_user']!r}")
        self.stdout.write(actions.issue_token(self._station(options["station"]), user=user))

    def _install_official(self, _options: dict[str, Any]) -> None:
        self.stdout.write(f"{install_official_stations()} stations added")
