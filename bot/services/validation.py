"""Checks on text people send, with messages that say exactly what to fix."""

from __future__ import annotations

import unicodedata

from bot.errors import UserError

ALLOWED_CONTROLS = {"\n", "\t", "\r"}
# Bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) can make stored text read
# differently from what it says (a reversed "#12" or a hidden clause), so they are never stored.
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Letters and symbols that render as blank space but are not Unicode whitespace nor format characters.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_invisible(ch: str) -> bool:
    """Format characters (zero-width spaces and joiners, BOM, bidi marks...), whitespace and blank fillers."""
    return ch.isspace() or unicodedata.category(ch) == "Cf" or ch in BLANK_LOOKING


def clean_text(text: str, *, what: str, limit: int) -> str:
    """Returns the text stripped, without bidi controls, or raises UserError saying why it cannot be stored."""
    stripped = "".join(ch for ch in text if ch not in BIDI_CONTROLS).strip()
    if not stripped:
        raise UserError(f"Your {what} is empty. Write a sentence or two, e.g. 'Move the rota to an app'.")
    if all(is_invisible(ch) for ch in stripped):
        raise UserError(f"Your {what} has only invisible characters (such as zero-width spaces), so nobody "
                        f"could read it. Please write it as plain text.")
    if any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in stripped):
        raise UserError(f"Your {what} contains control characters (invisible codes). Please retype it as plain text.")
    if len(stripped) > limit:
        raise UserError(f"Your {what} is {len(stripped)} characters; the limit is {limit}. Please shorten it.")
    return stripped.replace("\r\n", "\n")
