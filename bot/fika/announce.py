"""The round's announcement: one post per fika channel, queued in the round's own transaction, so a round
claimed once across replicas is announced once."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ChallengeConfig, FikaConfig
from bot.context import Core
from bot.fika import compose
from storage import outbox

logger = logging.getLogger(__name__)


def fika_channels(core: Core, config: FikaConfig, at: datetime) -> list[tuple[str, str]]:
    """(platform, conversation) on live platforms: the fika challenge's channels, else every open challenge's."""
    if config.challenge is not None:
        challenge = core.config.challenge(config.challenge)
        challenges = [challenge] if challenge is not None else []
    else:
        today = at.astimezone(core.timezone).date()
        challenges = [c for c in core.config.challenges if c.is_open(today)]
    return list(dict.fromkeys(pair for c in challenges for pair in core.channels_for(c)))


async def announce_round(core: Core, session: AsyncSession, config: FikaConfig, *, number: int, people: int,
                         challenge: ChallengeConfig, question: str, at: datetime) -> int:
    """Queues the announcement in each fika channel; returns how many were queued."""
    channels = fika_channels(core, config, at)
    for platform, conversation in channels:
        message = compose.announcement(number=number, people=people, question=question,
                                       challenge_title=challenge.title,
                                       command_word=core.command_word(platform, shared=True))
        await outbox.enqueue(session, platform=platform, kind="post", conversation=conversation,
                             payload=message.to_json(), now=core.now())
    logger.info("fika: round %d announced in %d channels", number, len(channels))
    return len(channels)
