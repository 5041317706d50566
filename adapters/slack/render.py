"""Core messages to Block Kit, in pure functions. Every text from a Message is plain text and is escaped here."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from adapters.slack.layout import pack, split_long
from bot.message import IdeaForm, Message, MessageAction, Section

logger = logging.getLogger(__name__)

FORM_CALLBACK = "idea_form"
CHALLENGE_BLOCK, CHALLENGE_INPUT = "challenge", "challenge_select"
IDEA_BLOCK, IDEA_INPUT = "idea", "idea_text"
ANONYMOUS_BLOCK, ANONYMOUS_INPUT = "anonymous", "anonymous_check"
ANONYMOUS_VALUE = "anonymous"

SECTION_LIMIT = 3000  # characters in a section's text
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
MAX_FIELDS = 10  # per section block
MAX_BUTTONS = 25  # per actions block
MAX_CONTEXT_ELEMENTS = 10
MAX_SELECT_OPTIONS = 100  # a static_select lists at most 100 options
MESSAGE_BLOCK_LIMIT = 50
HOME_BLOCK_LIMIT = 100  # a view (App Home, modal) holds 100 blocks
FALLBACK_LIMIT = 4000  # Slack truncates `text` past 40,000 and recommends at most 4,000


def escape(text: str) -> str:
    """Slack's rule for text it should show literally: &, <, > become entities, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    # Clip before escaping would let an entity be cut in half; clip the escaped text at a safe point instead.
    # Only short labels go through here: long text is laid out in several blocks by `_sections`.
    escaped = escape(text)
    if len(escaped) > limit:
        escaped = split_long(escaped, limit - 1)[0] + "…"
    return {"type": "mrkdwn", "text": escaped}


def _labelled(label: str, value: str, limit: int) -> dict[str, Any]:
    """A bold label line over an escaped value (labels are escaped too: headings can carry user text)."""
    heading = f"*{escape(label)}*\n" if label else ""
    return {"type": "mrkdwn", "text": heading + _mrkdwn(value, limit - len(heading))["text"]}


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping.
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def _sections(lines: Sequence[str], heading: str = "") -> list[dict[str, Any]]:
    """Section blocks holding every line, each block within SECTION_LIMIT: nothing is clipped."""
    prefix = f"*{escape(heading)}*\n" if heading else ""
    texts = pack([escape(line) for line in lines] or [" "], SECTION_LIMIT, first_prefix=prefix)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in texts]


def _button(action: MessageAction) -> dict[str, Any]:
    return {"type": "button", "text": _plain(action.label, 75), "action_id": action.action_id, "value": action.value}


def _entries(section: Section, buttons: int) -> list[dict[str, Any]]:
    """A section's lines where the first `buttons` entries that have a button each get a block of their own with
    the button beside them; the other lines are packed as `_sections` packs them."""
    out: list[dict[str, Any]] = []
    pending: list[str] = []
    prefix = f"*{escape(section.heading)}*\n" if section.heading else ""

    def flush() -> None:
        nonlocal prefix
        if pending:
            out.extend({"type": "section", "text": {"type": "mrkdwn", "text": text}}
                       for text in pack(pending, SECTION_LIMIT, first_prefix=prefix))
            pending.clear()
            prefix = ""

    for line, action in section.entries():
        if action is None or buttons <= 0:
            pending.append(escape(line))
            continue
        flush()
        first, *rest = pack([escape(line)], SECTION_LIMIT, first_prefix=prefix) or [" "]
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": first}, "accessory": _button(action)})
        out.extend({"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in rest)
        prefix, buttons = "", buttons - 1
    if pending or not out:
        pending = pending or [" "]
        flush()
    return out


def _section_blocks(section: Section, spare: int) -> list[dict[str, Any]]:
    """The section with as many entry buttons as `spare` extra blocks allow (entries keep their text pointer,
    e.g. "show #N", so an entry without its button still says how to get the rest)."""
    plain = _sections(section.lines, section.heading)
    wanted = sum(action is not None for _, action in section.entries())
    for buttons in range(wanted, 0, -1):
        laid_out = _entries(section, buttons)
        if len(laid_out) - len(plain) <= spare:
            return laid_out
    return plain


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def blocks(message: Message, budget: int = MESSAGE_BLOCK_LIMIT) -> list[dict[str, Any]]:
    """The Block Kit blocks of one message (without its form, which becomes a modal); entry buttons are added
    while the message stays within `budget` blocks."""
    plain = _blocks(message, {})
    spare = budget - len(plain)
    laid_out: dict[int, list[dict[str, Any]]] = {}
    for index, section in enumerate(message.sections):
        if spare > 0 and any(section.line_actions):
            laid_out[index] = _section_blocks(section, spare)
            spare -= len(laid_out[index]) - len(_sections(section.lines, section.heading))
    return _blocks(message, laid_out) if laid_out else plain


def _blocks(message: Message, laid_out: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if message.title:
        out.append({"type": "header", "text": _plain(message.title, HEADER_LIMIT)})
    body = message.body if message.title or message.body else None
    if body is None and not (message.fields or message.sections):
        body = message.text
    if body:
        out += _sections(body.split("\n"))
    for fields in _chunks(message.fields, MAX_FIELDS):
        out.append({"type": "section", "fields": [_labelled(f.label, f.value, FIELD_LIMIT) for f in fields]})
    for index, section in enumerate(message.sections):
        out += laid_out.get(index) or _sections(section.lines, section.heading)
    if message.image_png is not None:
        # Only the outbox uploads images (SlackMessenger); a reply shown to one person names the chart instead.
        out.append({"type": "context", "elements": [_mrkdwn(f"(chart: {message.image_alt or 'image'}; "
                                                            "it is on the dashboard)")]})
    for actions in _chunks(message.actions, MAX_BUTTONS):
        out.append({"type": "actions", "elements": [_button(action) for action in actions]})
    if message.context:
        pieces = pack([escape(line) for line in message.context.split("\n")], SECTION_LIMIT)
        out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": piece}
                                                    for piece in pieces[:MAX_CONTEXT_ELEMENTS]]})
    return out


def fallback_text(messages: Sequence[Message]) -> str:
    """The notification and screen-reader text: each message's summary, escaped, within FALLBACK_LIMIT."""
    text = escape("\n\n".join(message.short_text for message in messages))
    return text if len(text) <= FALLBACK_LIMIT else split_long(text, FALLBACK_LIMIT - 1)[0] + "…"


def _within(all_blocks: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """A safety net only: messages are designed to fit (tests build the largest realistic ones)."""
    if len(all_blocks) <= limit:
        return all_blocks
    logger.warning("slack: %d blocks are more than %d; the rest is left out", len(all_blocks), limit)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "(More than Slack shows at once: "
                                             "the rest is on the dashboard.)"}]}
    return [*all_blocks[: limit - 1], note]


def message_payload(messages: Sequence[Message], *, block_limit: int = MESSAGE_BLOCK_LIMIT) -> dict[str, Any]:
    """chat.postMessage / response arguments: a short escaped fallback text plus the blocks of every message."""
    all_blocks: list[dict[str, Any]] = []
    share = block_limit // max(len(messages), 1) - 1  # each message's part of the blocks, a divider between
    for index, message in enumerate(messages):
        if index:
            all_blocks.append({"type": "divider"})
        all_blocks.extend(blocks(message, share))
    return {"text": fallback_text(messages), "blocks": _within(all_blocks, block_limit)}


def home_view(messages: Sequence[Message]) -> dict[str, Any]:
    return {"type": "home", "blocks": message_payload(messages, block_limit=HOME_BLOCK_LIMIT)["blocks"]}


NOTE_VIEW_TITLE = "Decision note"


def note_view(message: Message) -> dict[str, Any]:
    """A modal showing one message whole (a decision's full note), to the person who asked."""
    return {"type": "modal", "title": _plain(NOTE_VIEW_TITLE, 24), "close": _plain("Close", 24),
            "blocks": blocks(message, HOME_BLOCK_LIMIT)[:HOME_BLOCK_LIMIT]}


def modal_view(form: IdeaForm, *, channel: str | None) -> dict[str, Any]:
    """The submission form as a modal; private_metadata carries the channel the command came from."""
    options = [{"text": _plain(choice.title, 75), "value": choice.key}
               for choice in form.challenges[:MAX_SELECT_OPTIONS]]
    select: dict[str, Any] = {"type": "static_select", "action_id": CHALLENGE_INPUT, "options": options}
    default = next((o for o in options if o["value"] == form.default_challenge), None)
    if default is not None:
        select["initial_option"] = default
    anonymous = {"type": "checkboxes", "action_id": ANONYMOUS_INPUT, "options": [
        {"text": _plain("Post anonymously (only the bot knows it was you)", 75), "value": ANONYMOUS_VALUE}]}
    idea_input = {"type": "plain_text_input", "action_id": IDEA_INPUT, "multiline": True,
                  "max_length": min(form.max_length, 3000)}
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": json.dumps({"channel": channel, **({"source": form.source} if form.source else {})}),
        "title": _plain("Share an idea", 24),
        "submit": _plain("Submit", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            {"type": "input", "block_id": CHALLENGE_BLOCK, "label": _plain("Challenge", 2000), "element": select},
            {"type": "input", "block_id": IDEA_BLOCK, "label": _plain("Your idea", 2000), "element": idea_input},
            {"type": "input", "block_id": ANONYMOUS_BLOCK, "optional": True, "label": _plain("Anonymous", 2000),
             "element": anonymous},
        ],
    }
