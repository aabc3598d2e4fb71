"""`pctt sms preview [--json] TEXT`: what an SMS costs, with and without diacritics.

TEXT ``-`` reads the message from standard input (UTF-8; one final newline is dropped, as
``echo`` adds it). Exit status: 0 on success, 2 on a usage error, an unreadable or oversized
message. Output goes through ``sys.stdout.write``: this module is a pure core, not a Django
command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Final

from pctt.core.sms import SmsPreview, preview

__all__ = ["MAX_TEXT_CHARS", "main"]

MAX_TEXT_CHARS: Final = 10_000
# UTF-8 takes at most 4 bytes a character, so more bytes than this is too long for certain.
_MAX_STDIN_BYTES: Final = 4 * MAX_TEXT_CHARS


def _count(n: int) -> str:
    """Vietnamese digit grouping: 10.000."""
    return f"{n:,}".replace(",", ".")


class _InputError(Exception):
    """A message that cannot be previewed; the text is shown to the user as it is."""


def _read_stdin() -> str:
    data = sys.stdin.buffer.read(_MAX_STDIN_BYTES + 1)
    if len(data) > _MAX_STDIN_BYTES:
        raise _InputError(f"văn bản quá dài (giới hạn {_count(MAX_TEXT_CHARS)} ký tự)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _InputError(f"đầu vào không phải UTF-8 (byte {error.start})") from error
    return text.removesuffix("\n").removesuffix("\r")


def _message(argument: str) -> str:
    text = _read_stdin() if argument == "-" else argument
    if len(text) > MAX_TEXT_CHARS:
        raise _InputError(
            f"văn bản dài {_count(len(text))} ký tự, vượt giới hạn {_count(MAX_TEXT_CHARS)} ký tự"
        )
    return text


def _unit(encoding: str) -> str:
    return "ký tự 7-bit" if encoding == "GSM-7" else "đơn vị UTF-16"


def _summary(result: SmsPreview) -> str:
    ascii_counts = result["ascii"]
    return "\n".join(
        [
            f"Có dấu:    {result['encoding']}, {result['length']} {_unit(result['encoding'])}, "
            f"{result['segments']} tin nhắn",
            f"Không dấu: {ascii_counts['encoding']}, {ascii_counts['length']} "
            f"{_unit(ascii_counts['encoding'])}, {ascii_counts['segments']} tin nhắn",
            f"  {ascii_counts['text']}",
            "",
        ]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pctt sms", description="SMS tools")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("preview", help="encoding and segments, with and without diacritics")
    show.add_argument("--json", action="store_true", help="print the counts as JSON")
    show.add_argument("text", metavar="TEXT", help="the message, or - to read standard input")
    return parser


def main(argv: list[str]) -> int:
    arguments = _parser().parse_args(argv)  # exits with status 2 on a usage error
    try:
        text = _message(arguments.text)
    except _InputError as error:
        sys.stderr.write(f"pctt sms preview: lỗi: {error}\n")
        return 2
    result = preview(text)
    if arguments.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
