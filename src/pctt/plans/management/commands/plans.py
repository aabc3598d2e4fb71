"""`pctt plans …`: upward reporting from the command line.

pctt plans province add-ward CODE NAME     register a ward here (prints its token once)
pctt plans province reissue-token CODE     a new token for a ward (the old one stops)
pctt plans province received [--json]      the reports received here
pctt plans province-link URL --token-env VAR   where this ward's reports go
pctt plans push REPORT_ID                  send a report now (retries go to the worker)
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pctt.plans import upward_actions, upward_signing
from pctt.plans.models import ProvinceLink, ReceivedReport, Report, ReportingWard


class Command(BaseCommand):
    help = "Upward reporting: register wards (province), link to the province and push (ward)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        province = commands.add_parser("province", help="province side")
        side = province.add_subparsers(dest="province_action", required=True)
        add = side.add_parser("add-ward", help="register a ward and print its token once")
        add.add_argument("code", help="the ward's administrative code")
        add.add_argument("name")
        reissue = side.add_parser("reissue-token", help="replace a ward's token")
        reissue.add_argument("code")
        received = side.add_parser("received", help="reports received from the wards")
        received.add_argument("--json", action="store_true", help="print JSON")
        pull_url = side.add_parser("pull-url", help="collect a ward's reports from its outbox")
        pull_url.add_argument("code")
        pull_url.add_argument(
            "url", help="e.g. https://ward/ke-hoach/api/bao-cao/cho-tinh/ ('' stops)"
        )
        pull = side.add_parser("pull", help="collect released reports from the wards now")
        pull.add_argument("codes", nargs="*", help="only these wards (default: all with an outbox)")
        link = commands.add_parser("province-link", help="ward side: where reports go")
        link.add_argument(
            "url",
            nargs="?",
            default="",
            help="the province's API, e.g. https://…/ke-hoach/api/bao-cao/",
        )
        link.add_argument("--token-env", required=True, help="environment variable with the token")
        link.add_argument(
            "--pull",
            action="store_true",
            help="the province collects from this ward's outbox instead (no address needed)",
        )
        push = commands.add_parser("push", help="send a report to the province now")
        push.add_argument("report_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "province":
                self._province(options)
            elif options["action"] == "province-link":
                link = upward_actions.link_province(
                    user=None,
                    url=options["url"],
                    token_env=options["token_env"],
                    mode=ProvinceLink.Mode.PULL if options["pull"] else ProvinceLink.Mode.PUSH,
                )
                if link.mode == ProvinceLink.Mode.PULL:
                    self.stdout.write(
                        _("The province collects released reports; token read from $%(env)s.")
                        % {"env": link.token_env}
                    )
                else:
                    self.stdout.write(
                        _("Reports go to %(url)s; token read from $%(env)s.")
                        % {"url": link.url, "env": link.token_env}
                    )
            else:
                self._push(options["report_id"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _province(self, options: dict[str, Any]) -> None:
        action = options["province_action"]
        if action == "add-ward":
            ward, token = upward_actions.add_reporting_ward(
                user=None, code=options["code"], name=options["name"]
            )
            self.stderr.write(
                _("Ward %(ward)s registered. Its token (shown only now):") % {"ward": ward}
            )
            self.stdout.write(token)
        elif action == "reissue-token":
            found = ReportingWard.objects.filter(code=options["code"]).first()
            if found is None:
                raise CommandError(_("No such ward."))
            self.stdout.write(upward_actions.reissue_token(user=None, ward=found))
        elif action == "pull-url":
            found = ReportingWard.objects.filter(code=options["code"]).first()
            if found is None:
                raise CommandError(_("No such ward."))
            upward_actions.set_pull_url(user=None, ward=found, url=options["url"])
        elif action == "pull":
            from pctt.plans.upward_pull import pull_all

            results = pull_all(options["codes"] or None)
            for result in results:
                self.stdout.write(
                    f"{result.ward}\t{result.received}\t{result.already}\t"
                    f"{len(result.refused)}\t{result.error or 'ok'}"
                )
            if any(r.error or r.refused for r in results):
                raise CommandError(_("Some wards could not be collected from."))
        elif options["json"]:
            self.stdout.write(json.dumps(_received(), ensure_ascii=False))
        else:
            for row in _received():
                self.stdout.write(
                    f"{row['ward']}\t{row['period']}\t{row['number_symbol']}\t{row['received_at']}"
                )

    def _push(self, report_id: int) -> None:
        report = Report.objects.filter(pk=report_id).first()
        if report is None:
            raise CommandError(_("No report %(id)s.") % {"id": report_id})
        report = upward_actions.push_report(user=None, report=report, background=False)
        self.stdout.write(f"{report.push_status or 'not_sent'}: {report.push_detail}")
        if report.push_status == "failed":
            raise CommandError(report.push_detail)


def _received() -> list[dict[str, Any]]:
    rows = []
    for row in ReceivedReport.objects.select_related("ward").order_by("pk"):
        with row.document.open("rb") as handle:
            stored = upward_signing.sha256_hex(handle.read())
        rows.append(
            {
                "ward": row.ward.code,
                "period": row.period,
                "number": row.number,
                "number_symbol": row.number_symbol,
                "figures": row.figures,
                "json_sha256": row.json_sha256,
                "docx_sha256": row.docx_sha256,
                "stored_docx_sha256": stored,
                "document": row.document.name,
                "signature_valid": row.signature_valid,
                "received_at": row.received_at.isoformat(),
            }
        )
    return rows
