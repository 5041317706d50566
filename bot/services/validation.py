"""Checks on text people send, with messages that say exactly what to fix."""

from __future__ import annotations

import unicodedata

from bot.errors import UserError

ALLOWED_CONTROLS = {"\n", "\t", "\r"}


def clean_text(text: str, *, what: str, limit: int) -> str:
    """Returns the text stripped, or raises UserError saying why it cannot be stored."""
    stripped = text.strip()
    if not stripped:
        raise UserError(f"Your {what} is empty. Write a sentence or two, e.g. 'Move the rota to an app'.")
    if any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in stripped):
        raise UserError(f"Your {what} contains control characters (invisible codes). Please retype it as plain text.")
    if len(stripped) > limit:
        raise UserError(f"Your {what} is {len(stripped)} characters; the limit is {limit}. Please shorten it.")
    return stripped.replace("\r\n", "\n")
