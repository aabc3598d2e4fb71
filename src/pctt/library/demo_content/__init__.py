"""Starter library for the demo ward: original Vietnamese text written for pctt.

Each entry: page type, title, summary, themes, hazards, audiences, and the type's fields.
Rich text fields take paragraphs (a list of strings); guidance takes steps as (title, detail).
"""

from typing import Any

from pctt.library.demo_content.guidance import GUIDANCE
from pctt.library.demo_content.other import OTHER
from pctt.library.demo_content.questions import QUESTIONS

PAGES: list[dict[str, Any]] = [*GUIDANCE, *QUESTIONS, *OTHER]
