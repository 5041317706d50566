"""Core messages to Block Kit: structure, limits, and Slack's escaping rule on every piece of user text."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.render import (
    FORM_CALLBACK,
    MESSAGE_BLOCK_LIMIT,
    SECTION_LIMIT,
    blocks,
    escape,
    home_view,
    message_payload,
    modal_view,
)
from bot.message import ChallengeChoice, IdeaForm, Message, MessageAction, MessageField, Section

HOSTILE = "<!channel> & <@U123> <https://x.example|y> >"


def test_escape_follows_slacks_rule_and_nothing_else() -> None:
    assert escape("a & b < c > d *bold* _it_ :+1:") == "a &amp; b &lt; c &gt; d *bold* _it_ :+1:"
    assert escape("&amp;") == "&amp;amp;"  # people's text is literal, even when it looks like an entity


def test_an_idea_post_has_header_body_fields_button_and_hint() -> None:
    message = Message(text="Idea #3: swap", title="Idea #3", body="Swap shifts in an app",
                      fields=(MessageField("Votes", "2"), MessageField("Status", "new")),
                      actions=(MessageAction("Vote", "vote", "3"),), context="How to vote: :+1:", idea_number=3)

    rendered = blocks(message)

    assert [b["type"] for b in rendered] == ["header", "section", "section", "actions", "context"]
    assert rendered[0]["text"] == {"type": "plain_text", "text": "Idea #3", "emoji": True}
    assert rendered[2]["fields"][0]["text"] == "*Votes*\n2"
    assert rendered[3]["elements"][0] | {"text": None} == {"type": "button", "text": None, "action_id": "vote",
                                                           "value": "3"}


def test_user_text_is_escaped_in_body_fields_sections_context_and_fallback() -> None:
    message = Message(text=HOSTILE, title=HOSTILE, body=HOSTILE, fields=(MessageField(HOSTILE, HOSTILE),),
                      sections=(Section(HOSTILE, (HOSTILE,)),), context=HOSTILE)

    payload = message_payload([message])
    parsed = [payload["text"]] + [text["text"] for text in _texts(payload["blocks"]) if text["type"] == "mrkdwn"]

    assert len(parsed) == 5  # fallback, body, field, section, context
    for text in parsed:
        assert "<" not in text and ">" not in text and "&lt;!channel&gt; &amp; &lt;@U123&gt;" in text


def _texts(node: object) -> list[dict[str, str]]:
    """Every text object in a block tree."""
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    if isinstance(node, dict):
        found = [node] if node.get("type") in ("mrkdwn", "plain_text") else []
        return found + [text for value in node.values() for text in _texts(value)]
    return []


def test_plain_text_header_is_not_escaped_because_slack_never_parses_it() -> None:
    (header, *_) = blocks(Message(text="t", title="A & B"))

    assert header["text"]["text"] == "A & B"


@given(st.text(alphabet="&<>ab \n", min_size=SECTION_LIMIT - 10, max_size=3 * SECTION_LIMIT))
def test_long_text_is_laid_out_in_blocks_within_the_limit_and_nothing_is_cut_off(text: str) -> None:
    shown = [section["text"]["text"] for section in blocks(Message(text=text, body=text))]

    assert all(len(piece) <= SECTION_LIMIT for piece in shown)
    assert all(re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt);)*", piece) for piece in shown)  # no entity cut in half
    assert "…" not in "".join(shown)
    assert re.sub(r"\s", "", "".join(shown)) == re.sub(r"\s", "", escape(text))  # every character is shown


def test_an_image_is_named_not_embedded() -> None:
    rendered = blocks(Message(text="chart", title="Votes", image_png=b"\x89PNG", image_alt="votes per day"))

    assert {"type": "image"} not in [{"type": b["type"]} for b in rendered]
    assert "votes per day" in json.dumps(rendered)


def test_several_messages_are_separated_by_dividers_and_the_home_view_is_capped() -> None:
    many = [Message(text=f"m{i}", title=f"T{i}", body="b") for i in range(60)]

    payload = message_payload(many[:2])
    view = home_view(many)

    assert [b["type"] for b in payload["blocks"]] == ["header", "section", "divider", "header", "section"]
    assert view["type"] == "home" and len(view["blocks"]) == 100
    assert "the rest is on the dashboard" in json.dumps(view["blocks"][-1])  # the safety net says so


def test_the_form_is_a_modal_with_the_default_challenge_selected() -> None:
    form = IdeaForm((ChallengeChoice("rotas", "Fairer <rotas>"), ChallengeChoice("breaks", "Breaks")), "breaks", 500)

    view = modal_view(form, channel="C1")

    assert view["callback_id"] == FORM_CALLBACK and json.loads(view["private_metadata"]) == {"channel": "C1"}
    challenge, idea, anonymous = view["blocks"]
    assert challenge["element"]["initial_option"]["value"] == "breaks"
    assert challenge["element"]["options"][0]["text"]["text"] == "Fairer <rotas>"  # plain_text: shown literally
    assert idea["element"]["max_length"] == 500 and idea["element"]["multiline"] is True
    assert anonymous["optional"] is True


def test_entry_buttons_sit_beside_their_entries_while_the_blocks_allow() -> None:
    def listing(count: int) -> Message:
        lines = tuple(f"#{n} an idea - a long note shortened (whole note: show #{n})" for n in range(1, count + 1))
        buttons = tuple(MessageAction("Read the full note", "full_note", str(n)) if n % 2 else None
                        for n in range(1, count + 1))
        return Message(text="t", title="Your ideas", sections=(Section("Mine", lines, buttons),))

    few = message_payload([listing(6)])["blocks"]
    beside = {b["accessory"]["value"]: b["text"]["text"] for b in few if "accessory" in b}
    assert beside == {str(n): f"{'*Mine*' + chr(10) if n == 1 else ''}#{n} an idea - a long note shortened "
                              f"(whole note: show #{n})" for n in (1, 3, 5)}
    assert "#2 an idea" in few[2]["text"]["text"]  # the lines without a button stay, packed between

    many = message_payload([listing(120)])["blocks"]
    assert len(many) <= MESSAGE_BLOCK_LIMIT
    assert 0 < sum("accessory" in b for b in many) < 60  # as many buttons as fit; the text says "show #N"
    shown = "\n".join(b["text"]["text"] for b in many if "text" in b)
    assert all(f"#{n} an idea" in shown for n in range(1, 121))  # no entry lost for the buttons
    assert not any(b["type"] == "context" and "More than Slack shows" in str(b) for b in many)
