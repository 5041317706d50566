"""Rounds of "A or B?": the first pair on `/idea compare`, each answer stored once, then the next pair.

A person is never shown their own ideas: their answer would say who wrote it, not which is better, and
it would lift prolific authors. Merged, erased and closed (done, not taken forward) ideas are not shown either,
and an answer about a pair that has one of them since it was shown is refused, with nothing stored.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compare.card import CANT_DECIDE, CHOOSE_A, STOP, finished_message, pair_message
from bot.compare.pairs import choose_pair
from bot.config import ChallengeConfig
from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.grammar import CLOSED_STATUSES
from bot.message import Message
from storage import comparisons
from storage import ideas as idea_store
from storage.models import Idea

logger = logging.getLogger(__name__)

NOT_OPEN = "That pair is no longer open. Start again with '{command} compare'."
TOO_FEW = ("{title} has fewer than two ideas you can compare (your own ideas and decided ones are left out). "
           "Try again when more ideas are in.")


async def next_pair(core: Core, session: AsyncSession, *, person_ref: str, challenge: ChallengeConfig,
                    command_word: str, note: str = "") -> Message:
    """The person's next pair in the challenge, or a closing message when there is none to show."""
    candidates = await comparisons.comparable_ideas(session, challenge_key=challenge.key, not_by=person_ref,
                                                    closed=CLOSED_STATUSES, removed_text=REMOVED_TEXT)
    answered = await comparisons.answers_by(session, person_ref=person_ref, challenge_key=challenge.key)
    if len(candidates) < 2:
        if answered:
            return finished_message(challenge.title, answered, command_word, all_seen=True)
        raise UserError(TOO_FEW.format(title=challenge.title))
    by_id = {idea.id: idea for idea in candidates}
    counts = await comparisons.comparison_counts(session, idea_ids=by_id)  # type: ignore[arg-type]
    seen = await comparisons.seen_pairs(session, person_ref=person_ref, challenge_key=challenge.key)
    chosen = choose_pair(counts, seen, core.rng)
    if chosen is None:
        return finished_message(challenge.title, answered, command_word, all_seen=True)
    first, second = chosen
    return pair_message(challenge.title, by_id[first], by_id[second], answered, note=note)


async def _pair(session: AsyncSession, value: str, person_ref: str, command_word: str, *, answering: bool
                ) -> tuple[Idea, Idea]:
    refused = UserError(NOT_OPEN.format(command=command_word))
    first_text, _, second_text = value.partition(":")
    numbers = []
    for text in (first_text, second_text):
        if not (text.isascii() and text.isdigit() and len(text) <= 9):  # ASCII digits only: "١٢" is not 12
            raise refused
        numbers.append(int(text))
    first = await idea_store.get_idea(session, number=numbers[0])
    second = await idea_store.get_idea(session, number=numbers[1])
    if first is None or second is None or first.id == second.id or first.challenge_key != second.challenge_key \
            or person_ref in (first.author_ref, second.author_ref):
        raise refused
    # The pair need not be one the person was offered: any two ideas they may be asked about are a pair the
    # rounds would show them in time (every pair once, before any repeat), and an answer is stored once per
    # person per pair, so a hand-made value can only change the order of answers they may give anyway.
    # Remembering each offered pair would need a table, and would refuse a still-open older card.
    for idea in (first, second) if answering else ():  # Stop still ends a round whose pair went stale
        gone = _no_longer_comparable(idea)
        if gone:
            raise UserError(f"That pair is no longer open: idea #{idea.number} {gone} since it was shown. "
                            f"Nothing was saved. Start again with '{command_word} compare'.")
    return first, second


def _no_longer_comparable(idea: Idea) -> str | None:
    """Why an idea is no longer one comparisons.comparable_ideas would offer, or None if it still is."""
    if idea.text == REMOVED_TEXT:
        return "was removed at its author's request"
    if idea.merged_into_id is not None:
        return "was merged into another idea"
    if idea.status in CLOSED_STATUSES:
        return "has been decided"
    return None


async def answer(core: Core, session: AsyncSession, *, person_ref: str, action: str, value: str,
                 command_word: str) -> tuple[Message, bool]:
    """Stores the answer (A, B or Can't decide) and returns the next pair; Stop ends. (message, stored)."""
    first, second = await _pair(session, value, person_ref, command_word, answering=action != STOP)
    challenge = core.config.challenge(first.challenge_key)
    if challenge is None:
        raise UserError(NOT_OPEN.format(command=command_word))
    if action == STOP:
        answered = await comparisons.answers_by(session, person_ref=person_ref, challenge_key=challenge.key)
        return finished_message(challenge.title, answered, command_word, all_seen=False), False
    chose = "tie" if action == CANT_DECIDE else "first" if action == CHOOSE_A else "second"
    stored = await comparisons.record_comparison(
        session, person_ref=person_ref, challenge_key=challenge.key, first_id=first.id,  # type: ignore[arg-type]
        second_id=second.id, chose=chose, now=core.now())  # type: ignore[arg-type]
    if not stored:
        return Message(text=f"You already answered #{first.number} or #{second.number}; your first answer "
                            "counts. Nothing else changed."), False
    logger.info("compare: an answer stored in %s", challenge.key)
    said = {"first": f"#{first.number}", "second": f"#{second.number}"}.get(chose)
    note = f"Saved: you chose {said}." if said else "Saved: you couldn't decide."
    return await next_pair(core, session, person_ref=person_ref, challenge=challenge, command_word=command_word,
                           note=note), True
