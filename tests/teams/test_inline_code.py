"""Adaptive Cards have no inline code: the bot's `command` hints read as quoted text, never as literal backticks."""

from __future__ import annotations

from adapters.teams.render import card
from bot.message import Message


def test_inline_code_reads_as_quoted_text_and_markdown_stays_escaped() -> None:
    rendered = card(Message(text="Tip: start an idea with `idea new` (e.g. `idea new *more* beds`)."))
    text = str(rendered)
    assert "`" not in text
    assert "\u201cidea new\u201d" in text
    assert "\u201cidea new \\\\*more\\\\* beds\u201d" in text  # user-looking markdown inside is still escaped
