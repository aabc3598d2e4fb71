"""The assistant's optional generative summary: OFF unless `PCTT_ASSISTANT_LLM_URL` is set.

When configured, the approved passages the extractive assistant already chose are sent to an
OpenAI-compatible endpoint (``POST {url}/chat/completions``) with the instruction to answer
only from them and cite them as [1], [2]… The reply is kept only if it cites, cites nothing
that was not given, and is short; it is shown as plain text above the quoted passages, which
stay (residents can check every claim). Any error or timeout: no summary, the quotes alone.
Nothing is downloaded; no model runs inside pctt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger("pctt.library.generative")

TIMEOUT_S = 8.0
MAX_SUMMARY_CHARS = 1200
MAX_RESPONSE_BYTES = 64 * 1024
_CITATION = re.compile(r"\[(\d{1,2})\]")

SYSTEM_PROMPT = (
    "Bạn là trợ lý của Ban Chỉ huy phòng, chống thiên tai phường. Chỉ trả lời bằng tiếng Việt, "
    "ngắn gọn (tối đa 5 câu), CHỈ dựa trên các đoạn trích được đánh số. Sau mỗi ý, ghi số đoạn "
    "trích làm nguồn, ví dụ [1]. Không thêm thông tin nào không có trong các đoạn trích. Nếu các "
    "đoạn trích không trả lời được câu hỏi, chỉ viết: KHÔNG ĐỦ THÔNG TIN."
)


def enabled() -> bool:
    return bool(getattr(settings, "PCTT_ASSISTANT_LLM_URL", ""))


def _request(question: str, passages: Sequence[str]) -> dict[str, Any]:
    numbered = "\n".join(f"[{n}] {text}" for n, text in enumerate(passages, start=1))
    return {
        "model": settings.PCTT_ASSISTANT_LLM_MODEL,
        "temperature": 0,
        "max_tokens": 400,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Đoạn trích:\n{numbered}\n\nCâu hỏi: {question}"},
        ],
    }


def acceptable(text: str, count: int) -> str | None:
    """The summary if it is usable: non-empty, short, citing only passages 1..count."""
    text = text.strip()
    if not text or len(text) > MAX_SUMMARY_CHARS or "KHÔNG ĐỦ THÔNG TIN" in text.upper():
        return None
    cited = {int(n) for n in _CITATION.findall(text)}
    if not cited or not cited <= set(range(1, count + 1)):
        return None
    return text


def summarise(question: str, passages: Sequence[str]) -> str | None:
    """A cited summary of ``passages`` answering ``question``; None when off or unusable."""
    if not enabled() or not passages:
        return None
    url = settings.PCTT_ASSISTANT_LLM_URL.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if settings.PCTT_ASSISTANT_LLM_KEY:
        headers["Authorization"] = f"Bearer {settings.PCTT_ASSISTANT_LLM_KEY}"
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, json=_request(question, passages), headers=headers)
        if response.status_code != 200 or len(response.content) > MAX_RESPONSE_BYTES:
            logger.warning("assistant summary refused: HTTP %s", response.status_code)
            return None
        text = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.warning("assistant summary unavailable: %s", type(exc).__name__)
        return None
    if not isinstance(text, str):
        return None
    return acceptable(text, len(passages))
