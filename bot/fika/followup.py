"""After follow_up_after_days: "Did you meet?" to each member privately, and "Stay in?" to the silent."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.fika import compose
from bot.fika.rounds import display_names
from bot.services.delivery import queue_direct
from storage import fika

logger = logging.getLogger(__name__)

SILENT_ROUNDS = 3  # unanswered rounds in a row before someone is asked whether to stay in


async def send_follow_ups(core: Core, session: AsyncSession, *, at: datetime) -> int:
    """Follows up every round that is due; returns how many people were asked."""
    asked = 0
    for fika_round in await fika.rounds_to_follow_up(session, now=at):
        members = await fika.members_of_round(session, round_id=fika_round.id)  # type: ignore[arg-type]
        groups: dict[int, list[str]] = defaultdict(list)
        for member in members:
            groups[member.group_id].append(member.person_ref)
        names = await display_names(session, [member.person_ref for member in members])
        for member in members:
            others = [names[ref] for ref in groups[member.group_id] if ref != member.person_ref]
            message = compose.did_you_meet(others=others, round_id=fika_round.id,  # type: ignore[arg-type]
                                           question=fika_round.question,
                                           command_word=core.command_word(member.person_ref.partition(":")[0]))
            asked += await queue_direct(core, session, member.person_ref, message)
        await fika.mark_followed_up(session, round_id=fika_round.id, now=at)  # type: ignore[arg-type]
        await _ask_the_silent(core, session, [m.person_ref for m in members], fika_round.number)
    return asked


async def _ask_the_silent(core: Core, session: AsyncSession, refs: list[str], round_number: int) -> None:
    """Whoever left their last three followed-up rounds unanswered is asked (once) whether to stay in."""
    answers = await fika.recent_answers(session, refs=refs, before_number=round_number, last=SILENT_ROUNDS)
    people = await fika.people(session, refs=refs)
    silent = []
    for ref, latest in answers.items():
        person = people.get(ref)
        if person is None or not person.opted_in or len(latest) < SILENT_ROUNDS:
            continue
        oldest = latest[-1][0]
        already_asked = person.stay_asked_round is not None and person.stay_asked_round >= oldest
        if all(outcome is None for _, outcome in latest) and not already_asked:
            silent.append(ref)
    for ref in silent:
        await queue_direct(core, session, ref, compose.stay_in_question())
    await fika.mark_stay_asked(session, refs=silent, round_number=round_number)
    if silent:
        logger.info("fika: asked %d people who stayed silent for %d rounds whether to stay in", len(silent),
                    SILENT_ROUNDS)
