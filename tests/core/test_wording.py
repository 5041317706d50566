"""Every message reads right: figures that say something, statements that are true, no markup that shows
literally, long notes shortened at a word with the way to the whole note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.compose import note_action, note_excerpt, percent, shorten
from bot.context import Core
from bot.digest import LIST_LIMIT, Period, compose_digest
from bot.handler import Bot
from bot.message import Message, Section
from tests.factories import CM, FixedClock, say, text_of


@pytest.mark.parametrize(("share", "shown"), [
    (3 / 650, "0.5%"), (0.0, "0%"), (1.0, "100%"), (1 / 10000, "under 0.1%"), (649 / 650, "99.8%"),
    (0.06, "6%"), (0.123, "12%"), (0.0449, "4.5%"), (None, "n/a")])
def test_a_share_is_rounded_so_it_says_something(share: float | None, shown: str) -> None:
    assert percent(share) == shown


def test_long_text_is_shortened_at_a_word_and_a_long_note_says_where_the_rest_is() -> None:
    note = "We piloted self-rostering on two wards " * 40

    excerpt = note_excerpt(note, 12, limit=100)

    assert excerpt.endswith("… (whole note: show #12)")
    assert excerpt.split("…")[0].split()[-1] in note.split()  # the last word shown is a whole word
    assert note_excerpt("Done in May.", 12) == "Done in May."
    assert shorten("alpha beta gamma delta", 12) == "alpha beta…"


async def digest_waiting_lines(core: Core, clock: FixedClock) -> tuple[str, ...]:
    async with core.db.transaction() as session:
        message = await compose_digest(core, session, Period(clock.now - timedelta(days=7), clock.now),
                                       for_leaders=True)
    (waiting,) = [s for s in message.sections if s.heading.startswith("Waiting for a decision")]
    assert "had a decision in time" not in message.text
    return waiting.lines


async def test_the_waiting_statement_is_true_as_worded(core: Core, bot: Bot, clock: FixedClock) -> None:
    await say(bot, "slack:U1", "A young idea nobody has decided yet")

    assert await digest_waiting_lines(core, clock) == ("None: no idea has waited over 14 days for a decision.",)

    clock.advance(days=15)
    (line,) = await digest_waiting_lines(core, clock)
    assert line.startswith("#1 A young idea") and "waiting 15 days" in line


async def test_more_waiting_than_listed_says_so(core: Core, bot: Bot, clock: FixedClock) -> None:
    for n in range(LIST_LIMIT + 2):
        await say(bot, f"slack:U{n}", f"Idea {n}")
    clock.advance(days=20)

    lines = await digest_waiting_lines(core, clock)

    assert len(lines) == LIST_LIMIT + 1 and lines[-1].startswith("...and more waiting")


@pytest.mark.parametrize("command", ["help", "nonsense words here", "show #99", "vote", "mine", "",
                                     "notifications off", "status #1 done", "status #1 not_taken_forward"])
async def test_no_reply_carries_markdown_backticks(command: str, bot: Bot) -> None:
    await say(bot, "slack:U1", "An idea to talk about")

    reply = await say(bot, CM, command)

    assert "`" not in str([m.to_json() for m in reply.messages])


async def test_the_example_note_fits_the_status(bot: Bot) -> None:
    await say(bot, "slack:U1", "An idea to decide")

    refused = text_of(await say(bot, CM, "status #1 not_taken_forward"))
    done = text_of(await say(bot, CM, "status #1 done"))

    assert "Not this year" in refused and "Rolled out" not in refused
    assert "Rolled out" in done


async def test_an_idea_post_shows_a_long_decision_note_whole(bot: Bot) -> None:
    await say(bot, "slack:U1", "An idea to decide")
    note = "Agreed with the ward managers. " * 50
    await say(bot, CM, f"status #1 done {note}")

    (card,) = (await say(bot, "slack:U1", "show #1")).messages

    (decision,) = [s for s in card.sections if s.heading == "Decision"]
    assert decision.lines == (note.strip(),)
    assert "Decision" not in [f.label for f in card.fields]


def test_entry_buttons_and_card_viewers_survive_the_outbox_round_trip() -> None:
    button = note_action("word " * 100, 7)
    assert button is not None and button.value == "7" and note_action("short", 7) is None
    message = Message(text="t", sections=(Section("h", ("a", "b", "c"), (None, button)),),
                      viewers=("teams:aad-1", "teams:29:one"), idea_number=7)
    again = Message.from_json(message.to_json())
    assert again == message
    assert again.sections[0].entries() == [("a", None), ("b", button), ("c", None)]
