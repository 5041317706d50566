"""Running an hour: start, the next question, the end. Shared by the scheduler and the hosts' commands; each
step is guarded by a unique row, so a step taken twice (replicas, restarts, a host and the schedule) posts once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import IdeaHourConfig
from bot.context import Core
from bot.hour import compose
from bot.hour.figures import hour_figures
from bot.hour.remind import send_requested
from bot.message import Message
from storage import hours, outbox
from storage.models import IdeaHourRun

logger = logging.getLogger(__name__)

QUESTION_MARK = "hour_question_id"  # in a question post's outbox payload: record where it was posted


def hour_channels(core: Core, hour: IdeaHourConfig) -> list[tuple[str, str]]:
    """(platform, conversation) pairs of the hour on live platforms; a platform with a conversation per
    challenge (the playground) uses the challenge's own when the hour names none there."""
    return core.live_channels(hour.channels, hour.challenge)


def challenge_title(core: Core, hour: IdeaHourConfig) -> str:
    challenge = core.config.challenge(hour.challenge)
    return challenge.title if challenge else hour.challenge


async def _post(core: Core, session: AsyncSession, hour: IdeaHourConfig, message: Message | Callable[[str], Message],
                question_id: int | None = None) -> list[str]:
    """`message`, or `message(command_word)` for a post that quotes a command in each platform's words."""
    sent = []
    for platform, conversation in hour_channels(core, hour):
        shown = message if isinstance(message, Message) else message(core.command_word(platform, shared=True))
        payload = shown.to_json()
        if question_id is not None:
            payload[QUESTION_MARK] = question_id
        await outbox.enqueue(session, platform=platform, kind="post", conversation=conversation, payload=payload,
                             now=core.now())
        sent.append(f"{platform}:{conversation}")
    return sent


async def send_reminder(core: Core, session: AsyncSession, hour: IdeaHourConfig, before: timedelta) -> list[str]:
    start = hour.start_at(core.timezone)
    return await _post(core, session, hour, compose.reminder(hour, start, before))


async def start_hour(core: Core, session: AsyncSession, hour: IdeaHourConfig, *, started_by: str
                     ) -> IdeaHourRun | None:
    """Opens the hour and posts Q1; None when it had been started already (nothing is posted again)."""
    run = await hours.start_run(session, hour_key=hour.key, challenge_key=hour.challenge, started_by=started_by,
                                now=core.now())
    if run is None:
        return None
    await _post(core, session, hour, compose.opening(hour, challenge_title(core, hour)))
    await post_question(core, session, hour, run, 1)
    logger.info("idea hour %s started by %s", hour.key, started_by)
    return run


async def post_question(core: Core, session: AsyncSession, hour: IdeaHourConfig, run: IdeaHourRun,
                        position: int) -> bool:
    """Posts question `position` (1-based) unless it is out already; True when this call posted it."""
    text = hour.questions[position - 1]
    question = await hours.add_question(session, run_id=run.id, position=position, text=text,  # type: ignore[arg-type]
                                        now=core.now())
    if question is None:
        return False
    await _post(core, session, hour, compose.question(hour, position, text), question_id=question.id)
    await send_requested(core, session, hour)  # Q1: everyone who pressed "Remind me"; later: any latecomer
    return True


async def next_question(core: Core, session: AsyncSession, hour: IdeaHourConfig, run: IdeaHourRun) -> int | None:
    """Posts the question after the last one out; the number posted, or None when all are out."""
    position = await hours.last_position(session, run_id=run.id) + 1  # type: ignore[arg-type]
    if position > len(hour.questions):
        return None
    return position if await post_question(core, session, hour, run, position) else None


async def end_hour(core: Core, session: AsyncSession, hour: IdeaHourConfig, run: IdeaHourRun) -> bool:
    """Closes the hour and posts the summary; False when it had ended already."""
    if not await hours.end_run(session, run_id=run.id, now=core.now()):  # type: ignore[arg-type]
        return False
    figures = await hour_figures(session, run)
    title = challenge_title(core, hour)
    await _post(core, session, hour, lambda command_word: compose.closing(hour, figures, title, command_word))
    logger.info("idea hour %s ended: %d answers from %d people", hour.key, figures.answers, figures.people)
    return True
