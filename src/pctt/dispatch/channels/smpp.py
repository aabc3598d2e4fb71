"""SMS over SMPP 3.4 (smpplib): one bound transceiver session kept open by the worker.

Options of the ``ChannelProvider`` row:

``host``, ``port``          the SMSC (required)
``system_id``               the account; ``password_env`` names the variable holding the password
``system_type``             if the operator asks for one
``source_addr``             the registered brandname or number
``long_messages``           ``"udh"`` (default: one ``submit_sm`` per segment with a concatenation
                            header) or ``"payload"`` (the whole message in ``message_payload``)
``registered_delivery``     1 (default) asks for delivery receipts, 0 does not
``timeout``                 seconds to wait for the SMSC (default 10)
``enquire_link_interval``   seconds of silence before a keep-alive (default 30)
``status_codes``            ``{"0x58": "retryable", …}``: added to :data:`SUBMIT_STATUS`
``receipt_codes``           receipt ``stat`` values → our statuses, added to the common table

The text is sent as the warning chose (Vietnamese, or without diacritics): GSM 7-bit
(``data_coding`` 0, one septet per octet as SMSCs expect) when every character fits, otherwise
UCS-2 (``data_coding`` 8). Segments come from :func:`pctt.core.sms.split`. Receipts arrive as
``deliver_sm`` on the same session; the worker collects them with :meth:`poll_reports`.

SMPP has no idempotency key: a message whose later segment fails after the first was accepted
is failed (not retried), so nobody gets the beginning twice.
"""

from __future__ import annotations

import contextlib
import random
import re
import select
import time
from collections.abc import Mapping
from typing import Any

from smpplib import client as smpp_client
from smpplib import consts, exceptions, smpp
from smpplib.command import Command

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    Provider,
    Report,
    RetryableError,
    SendResult,
    secret,
)
from pctt.dispatch.channels.gsm import concat_udh, encode
from pctt.dispatch.channels.sms_http import STATUS_CODES

#: submit_sm_resp command_status → what to do. Anything not listed is permanent.
SUBMIT_STATUS: dict[int, str] = {
    0x08: "retryable",  # ESME_RSYSERR system error
    0x14: "retryable",  # ESME_RMSGQFUL message queue full
    0x45: "retryable",  # ESME_RSUBMITFAIL submit failed
    0x58: "retryable",  # ESME_RTHROTTLED throttling error
    0x64: "retryable",  # ESME_RX_T_APPN temporary application error
    0xFE: "retryable",  # ESME_RDELIVERYFAILURE (transaction mode)
    0x0A: "permanent",  # ESME_RINVSRCADR invalid source address (brandname)
    0x0B: "permanent",  # ESME_RINVDSTADR invalid destination address
    0x01: "permanent",  # ESME_RINVMSGLEN
    0x65: "permanent",  # ESME_RX_P_APPN permanent application error
    0x66: "permanent",  # ESME_RX_R_APPN rejected by the application
}
BIND_REFUSED = frozenset({0x0D, 0x0E, 0x0F, 0x53})  # bind failed, password, system id, type
_RECEIPT = re.compile(r"\bid:(?P<id>\S+).*?\bstat:(?P<stat>[A-Z]+)(?:.*?\berr:(?P<err>\w+))?", re.S)


def submit_outcome(status: int, overrides: Mapping[str, Any] | None = None) -> str:
    table = dict(SUBMIT_STATUS)
    for key, value in dict(overrides or {}).items():
        try:
            table[int(str(key), 0)] = str(value)
        except ValueError:
            continue
    return table.get(status, "permanent")


def parse_receipt(pdu: Command, codes: Mapping[str, str]) -> Report | None:
    """A delivery receipt (``deliver_sm`` with esm_class bit 2) as a report; None otherwise."""
    if not (int(getattr(pdu, "esm_class", 0) or 0) & 0x04):
        return None
    raw = getattr(pdu, "short_message", b"") or getattr(pdu, "message_payload", b"") or b""
    text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
    found = _RECEIPT.search(text)
    receipted = getattr(pdu, "receipted_message_id", None)
    if isinstance(receipted, bytes):
        receipted = receipted.decode("ascii", "replace")
    message_id = str(receipted or (found.group("id") if found else "")).strip("\x00")
    stat = found.group("stat") if found else ""
    status = codes.get(stat.upper())
    if not message_id or status is None:
        return None
    error = found.group("err") if found and found.group("err") not in (None, "000") else ""
    return Report(message_id[:100], status, stat, f"err {error}" if error else "")


class SmppProvider(Provider):
    kind = "smpp"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: smpp_client.Client | None = None
        self._reports: list[Report] = []
        self._last_io = 0.0
        self._codes = {
            **STATUS_CODES,
            **{
                str(k).upper(): str(v)
                for k, v in dict(self.options.get("receipt_codes") or {}).items()
            },
        }

    # -- session ----------------------------------------------------------------------------
    def _session(self) -> smpp_client.Client:
        if self._client is not None:
            return self._client
        host = str(self.options.get("host", ""))
        port = int(self.options.get("port") or 0)
        if not host or not port:
            raise ConfigurationError("options host and port are required")
        client = smpp_client.Client(
            host,
            port,
            timeout=float(self.options.get("timeout", 10)),
            allow_unknown_opt_params=True,
            logger_name="pctt.dispatch.smpp",
        )
        try:
            client.connect()
            client.bind_transceiver(
                system_id=str(self.options.get("system_id", "")),
                password=secret(self.options, "password_env", required=False),
                system_type=str(self.options.get("system_type", "")),
            )
        except exceptions.PDUError as exc:
            client.disconnect()
            code = exc.args[1] if len(exc.args) > 1 else -1
            if code in BIND_REFUSED:
                raise ConfigurationError(f"SMSC refused the bind (status 0x{code:02X})") from exc
            raise RetryableError(f"bind failed: {exc.args[0]}") from exc
        except (exceptions.ConnectionError, OSError) as exc:
            client.disconnect()
            raise RetryableError(f"cannot reach the SMSC: {type(exc).__name__}") from exc
        self._client = client
        self._last_io = time.monotonic()
        return client

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.disconnect()

    def _handle(self, client: smpp_client.Client, pdu: Command) -> None:
        """Answer what the SMSC sends on its own: receipts, keep-alives, unbind."""
        if pdu.command == "deliver_sm":
            report = parse_receipt(pdu, self._codes)
            if report is not None:
                self._reports.append(report)
            resp = smpp.make_pdu("deliver_sm_resp", client=client)
            resp.sequence = pdu.sequence
            client.send_pdu(resp)
        elif pdu.command == "enquire_link":
            resp = smpp.make_pdu("enquire_link_resp", client=client)
            resp.sequence = pdu.sequence
            client.send_pdu(resp)
        elif pdu.command == "unbind":
            resp = smpp.make_pdu("unbind_resp", client=client)
            resp.sequence = pdu.sequence
            client.send_pdu(resp)
            self._drop()

    def _wait_for(self, client: smpp_client.Client, sequence: int, command: str) -> Command:
        deadline = time.monotonic() + float(self.options.get("timeout", 10))
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from the SMSC")
            pdu = client.read_pdu()
            self._last_io = time.monotonic()
            if pdu.sequence == sequence and pdu.command in (command, "generic_nack"):
                return pdu
            self._handle(client, pdu)
            if self._client is None:
                raise exceptions.ConnectionError("the SMSC unbound")

    # -- sending ----------------------------------------------------------------------------
    def _submit(self, client: smpp_client.Client, **fields: Any) -> str:
        source = str(self.options.get("source_addr", ""))
        alphanumeric = bool(source) and not source.lstrip("+").isdigit()
        pdu = smpp.make_pdu(
            "submit_sm",
            client=client,
            service_type=str(self.options.get("service_type", "")),
            source_addr_ton=consts.SMPP_TON_ALNUM if alphanumeric else consts.SMPP_TON_INTL,
            source_addr_npi=consts.SMPP_NPI_UNK if alphanumeric else consts.SMPP_NPI_ISDN,
            source_addr=source.lstrip("+"),
            registered_delivery=int(self.options.get("registered_delivery", 1)),
            **fields,
        )
        client.send_pdu(pdu)
        resp = self._wait_for(client, pdu.sequence, "submit_sm_resp")
        status = int(resp.status)
        if status == 0 and resp.command == "submit_sm_resp":
            raw = getattr(resp, "message_id", b"") or b""
            return (raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw))[:100]
        described = consts.DESCRIPTIONS.get(status, "unknown status")
        reason = f"SMSC status 0x{status:02X} ({described})"
        if submit_outcome(status, self.options.get("status_codes")) == "retryable":
            raise RetryableError(reason)
        raise PermanentError(reason)

    def try_send(self, message: Message) -> SendResult:
        destination = message.to.lstrip("+")
        if not destination.isdigit():
            raise PermanentError("destination is not an E.164 number")
        encoded = encode(message.text)
        common = {
            "dest_addr_ton": consts.SMPP_TON_INTL,
            "dest_addr_npi": consts.SMPP_NPI_ISDN,
            "destination_addr": destination,
            "data_coding": encoded.data_coding,
        }
        try:
            client = self._session()
            if not encoded.is_long:
                return SendResult(self._submit(client, short_message=encoded.payloads[0], **common))
            if self.options.get("long_messages", "udh") == "payload":
                whole = b"".join(encoded.payloads)
                return SendResult(self._submit(client, message_payload=whole, **common))
            reference = random.randrange(256)  # noqa: S311 - a concatenation reference
            total = len(encoded.payloads)
            first_id = ""
            for number, payload in enumerate(encoded.payloads, start=1):
                udh = concat_udh(reference, total, number)
                try:
                    message_id = self._submit(
                        client,
                        esm_class=consts.SMPP_GSMFEAT_UDHI,
                        short_message=udh + payload,
                        **common,
                    )
                except RetryableError as exc:
                    if number == 1:
                        raise
                    raise PermanentError(
                        f"segment {number} of {total} refused after the first was accepted;"
                        f" not retried to avoid a duplicate ({exc.reason})"
                    ) from exc
                first_id = first_id or message_id
            return SendResult(first_id)
        except (exceptions.ConnectionError, exceptions.PDUError, OSError) as exc:
            self._drop()
            raise RetryableError(f"SMPP session: {type(exc).__name__}: {exc}") from exc

    def poll_reports(self) -> list[Report]:
        client = self._client
        if client is not None and client._socket is not None:
            try:
                while select.select([client._socket], [], [], 0)[0]:
                    self._handle(client, client.read_pdu())
                    if self._client is None:
                        break
                idle = float(self.options.get("enquire_link_interval", 30))
                if self._client is not None and time.monotonic() - self._last_io > idle:
                    ping = smpp.make_pdu("enquire_link", client=client)
                    client.send_pdu(ping)
                    self._wait_for(client, ping.sequence, "enquire_link_resp")
            except (exceptions.ConnectionError, exceptions.PDUError, OSError):
                self._drop()
        reports, self._reports = self._reports, []
        return reports

    def close(self) -> None:
        client = self._client
        if client is None:
            return
        try:
            unbind = smpp.make_pdu("unbind", client=client)
            client.send_pdu(unbind)
            self._wait_for(client, unbind.sequence, "unbind_resp")
        except (exceptions.ConnectionError, exceptions.PDUError, OSError):
            pass
        self._drop()
