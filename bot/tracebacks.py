"""A failure's traceback for the log, with every exception's type and frames but none of their messages.

A database error's message can quote its statement (an idea's text, who wrote it) and a user error quotes what
was typed, so the log gets where it failed and why by type, which is what a bug report needs."""

from __future__ import annotations

import traceback

MAX_CHAINED = 5


def traceback_without_messages(error: BaseException) -> str:
    sections: list[str] = []
    current: BaseException | None = error
    while current is not None and len(sections) < MAX_CHAINED:
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        sections.append(f"Traceback (most recent call last):\n{frames}"
                        f"{type(current).__module__}.{type(current).__qualname__} (message withheld)")
        current = current.__cause__ or current.__context__
    return "\n\nwhich led to:\n".join(reversed(sections))  # the first cause first, as Python prints them
