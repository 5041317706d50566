"""The private "A or B?" message: two ideas of a challenge, buttons A, B, Can't decide and Stop."""

from __future__ import annotations

from bot.compose import shorten
from bot.message import Message, MessageAction, Section
from storage.models import Idea

PREFIX = "compare_"
CHOOSE_A, CHOOSE_B, CANT_DECIDE, STOP = "compare_a", "compare_b", "compare_tie", "compare_stop"
ACTIONS = frozenset({CHOOSE_A, CHOOSE_B, CANT_DECIDE, STOP})
TITLE = "A or B?"
# Two ideas and the intro stay well inside one Block Kit section (3,000) even after escaping lengthens & < >.
TEXT_LIMIT = 400


def is_compare_action(action: str) -> bool:
    return action in ACTIONS


def pair_value(first: Idea, second: Idea) -> str:
    return f"{first.number}:{second.number}"


def pair_message(challenge_title: str, first: Idea, second: Idea, answered: int, *, note: str = "") -> Message:
    """No author is shown, named or anonymous: the choice is about what the ideas say."""
    intro = f"{challenge_title}: which of these two ideas would you rather see done first?"
    progress = f"You have answered {answered} pair{'s' if answered != 1 else ''} so far." if answered else \
        "Answer as many pairs as you like, then press Stop."
    body = " ".join(part for part in (note, intro, progress) if part)
    a_text, b_text = shorten(first.text, TEXT_LIMIT), shorten(second.text, TEXT_LIMIT)
    sections = (Section(f"A: idea #{first.number}", (a_text,)), Section(f"B: idea #{second.number}", (b_text,)))
    value = pair_value(first, second)
    actions = (MessageAction("A", CHOOSE_A, value), MessageAction("B", CHOOSE_B, value),
               MessageAction("Can't decide", CANT_DECIDE, value), MessageAction("Stop", STOP, value))
    text = "\n".join([TITLE, body, f"A: #{first.number} {a_text}", f"B: #{second.number} {b_text}",
                      "Choose A, B, Can't decide or Stop."])
    return Message(text=text, summary=f"{TITLE} #{first.number} or #{second.number}", title=TITLE, body=body,
                   sections=sections, actions=actions)


def finished_message(challenge_title: str, answered: int, command_word: str, *, all_seen: bool) -> Message:
    why = f"You have answered every pair of ideas open in {challenge_title}" if all_seen \
        else f"Thanks for comparing ideas in {challenge_title}"
    text = (f"{why}: {answered} answer{'s' if answered != 1 else ''} in all. "
            f"'{command_word} top --by preference' shows the ideas people prefer.")
    return Message(text=text, title=TITLE, body=text)
