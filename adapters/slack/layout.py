"""Lays escaped mrkdwn out in pieces that each fit a Block Kit text limit, cutting only between entries."""

from __future__ import annotations

from collections.abc import Iterable


def _safe_cut(text: str, limit: int) -> int:
    """Where to cut `text` (already escaped) at or before `limit`: a space if one is near, never inside an
    entity such as &amp;."""
    cut = limit
    space = text.rfind(" ", 0, limit + 1)
    if space > limit // 2:
        return space
    entity = text.rfind("&", max(0, cut - 5), cut)
    if entity != -1 and ";" not in text[entity:cut]:
        cut = entity
    return max(cut, 1)


def split_long(text: str, limit: int) -> list[str]:
    """One entry longer than a block holds, as consecutive pieces (continued, not clipped)."""
    pieces = []
    while len(text) > limit:
        cut = _safe_cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def pack(entries: Iterable[str], limit: int, *, first_prefix: str = "") -> list[str]:
    """Escaped entries joined by newlines into as few texts as fit `limit` each; an entry is split only when
    it alone is longer than a whole text. `first_prefix` (a heading with its newline) starts the first text."""
    texts: list[str] = []
    current, only_prefix = first_prefix, True
    for entry in entries:
        candidate = current + entry if only_prefix else f"{current}\n{entry}"
        if len(candidate) > limit:
            if not only_prefix:
                texts.append(current)
                candidate = entry
            pieces = split_long(candidate, limit)
            texts.extend(pieces[:-1])
            candidate = pieces[-1] if pieces else ""
        current, only_prefix = candidate, False
    if current:
        texts.append(current)
    return texts
