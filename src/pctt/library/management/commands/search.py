"""`pctt search eval --corpus C.jsonl --queries Q.jsonl --json` and `pctt search reindex`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Library search: evaluate ranking on a corpus, or rebuild the portal's index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("eval", help="index a corpus temporarily and score queries")
        evaluate.add_argument(
            "--corpus", type=Path, required=True, help='lines {"id","title","body"}'
        )
        evaluate.add_argument("--queries", type=Path, required=True, help='lines {"q","relevant"}')
        evaluate.add_argument("--json", action="store_true", help="print one JSON line")
        sub.add_parser("reindex", help="index every live library page again")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            from pctt.library.indexing import reindex_all

            self.stdout.write(f"{reindex_all()} pages indexed")
            return
        from pctt.library.evaluation import evaluate, read_jsonl

        for name in ("corpus", "queries"):
            if not options[name].is_file():
                raise CommandError(f"--{name}: no such file {options[name]}")
        try:
            result = evaluate(read_jsonl(options["corpus"]), read_jsonl(options["queries"]))
        except (ValueError, KeyError) as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            for key, value in result.as_json().items():
                self.stdout.write(f"{key:>10}: {value}")
