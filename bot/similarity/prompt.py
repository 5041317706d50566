"""The private "Is your idea one of these?" message: up to three ideas, Back #N buttons and Post mine anyway."""

from __future__ import annotations

from collections.abc import Sequence

from bot.compose import shorten, status_label
from bot.message import Message, MessageAction, Section
from bot.similarity.search import SimilarIdea

BACK_ACTION = "similar_back"  # + "_<position>": Slack wants each button's action_id unique in its block
POST_ACTION = "similar_post"
TITLE = "Is your idea one of these?"
TEXT_LIMIT = 300  # each suggested idea is shortened to this, so three fit well inside one Block Kit section


def is_choice(action: str) -> bool:
    return action == POST_ACTION or action.startswith(BACK_ACTION)


def _votes(count: int) -> str:
    return f"{count} vote{'' if count == 1 else 's'}"


def similar_prompt(draft_id: int, matches: Sequence[SimilarIdea], backable: set[int], challenge_title: str
                   ) -> Message:
    """`backable`: the numbers the person may vote for (not their own idea, not closed); only those get a Back
    button, and when there are none the words offer only what the buttons do."""
    start = f"Before I post your idea to {challenge_title}: these ideas look like it."
    sections = tuple(
        Section(f"#{match.number} ({_votes(match.votes)}, {status_label(match.status)})",
                (shorten(match.text, TEXT_LIMIT),)) for match in matches)
    actions = tuple(
        MessageAction(f"Back #{match.number}", f"{BACK_ACTION}_{position}", f"{draft_id}:{match.number}")
        for position, match in enumerate(matches) if match.number in backable)
    if actions:
        intro = (f"{start} If one says what you meant, back it (your vote, and anything you added as a comment on "
                 "it). Otherwise post yours.")
        choose = "Choose Back #N or Post mine anyway."
    else:
        intro = (f"{start} None of them can take your vote (each is your own or closed), so there is nothing to "
                 "back. If yours still adds something, post it.")
        choose = "Press Post mine anyway to post it; until then nothing is posted."
    actions += (MessageAction("Post mine anyway", POST_ACTION, str(draft_id)),)
    lines = [f"{section.heading}: {section.lines[0]}" for section in sections]
    text = "\n".join([TITLE, intro, *lines, choose])
    return Message(text=text, title=TITLE, body=intro, sections=sections, actions=actions)


def backed_comment(text: str) -> Message:
    """Posted in the idea's thread: the backer's own words, never their name (they may have been anonymous)."""
    body = f"Someone who had the same idea backed it and added: {text}"
    return Message(text=body)
