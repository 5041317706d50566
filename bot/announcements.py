"""Challenge prompts, lifecycle announcements and the digest command: composed here, queued to the outbox,
shared by commands and the scheduler."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ChallengeConfig
from bot.context import Core
from bot.digest import compose_digest, period_since_last, send_community_digest, send_leaders_digest
from bot.message import Message
from bot.services.delivery import queue_channel_post
from storage import digests

LEADERS_DIGEST_JOB = "digest:leaders"
COMMUNITY_DIGEST_JOB = "digest:community"


async def _so_far(session: AsyncSession, challenge: ChallengeConfig) -> str:
    ideas, people = await digests.challenge_reach(session, challenge_key=challenge.key)
    if not ideas:
        return "Be the first to share an idea."
    return f"{ideas} idea{'s' if ideas != 1 else ''} from {people} {'person' if people == 1 else 'people'} so far."


def how_to(command_word: str) -> str:
    """The invitation under a channel post, in the words people type on that platform."""
    return f"Share yours: {command_word} <your idea>."


async def compose_prompt(core: Core, session: AsyncSession, challenge: ChallengeConfig, rotation: int,
                         command_word: str = "/idea") -> Message:
    """Today's question: the rotation picks one of the challenge's questions in turn."""
    return _prompt(challenge, rotation, await _so_far(session, challenge), command_word)


def _prompt(challenge: ChallengeConfig, rotation: int, so_far: str, command_word: str) -> Message:
    question = challenge.questions[rotation % len(challenge.questions)]
    how = f"{how_to(command_word)} {so_far}"
    return Message(text=f"{challenge.title}: {question}\n{how}", title=challenge.title, body=question, context=how)


async def _post_to_channels(core: Core, session: AsyncSession, challenge: ChallengeConfig,
                            message_for: Callable[[str], Message]) -> list[str]:
    """`message_for(command_word)`: the post as read on a platform whose people type that before a command."""
    sent = []
    for platform, conversation in core.channels_for(challenge):
        message = message_for(core.command_word(platform, shared=True))
        if await queue_channel_post(core, session, f"{platform}:{conversation}", message):
            sent.append(f"{platform}:{conversation}")
    return sent


async def post_prompt(core: Core, session: AsyncSession, challenge: ChallengeConfig, rotation: int) -> list[str]:
    """Queues the question to the challenge's channels; returns where it went."""
    so_far = await _so_far(session, challenge)
    return await _post_to_channels(core, session, challenge,
                                   lambda command_word: _prompt(challenge, rotation, so_far, command_word))


def _lifecycle(challenge: ChallengeConfig, opening: bool, so_far: str, command_word: str) -> Message:
    if opening:
        title = f"New challenge: {challenge.title}"
        text = f"{challenge.description}\nTo start: {challenge.questions[0]}\n{how_to(command_word)}".lstrip()
    else:
        title = f"Last day for ideas: {challenge.title}"
        text = (f"{so_far} Thank you. Ideas are open until the end of today; after that "
                f"the community team will tell you what happens to them.\n{how_to(command_word)}")
    return Message(text=f"{title}\n{text}", title=title, body=text)


async def post_lifecycle(core: Core, session: AsyncSession, challenge: ChallengeConfig, *, opening: bool
                         ) -> list[str]:
    """The opening (on `opens`) or last-day (on `closes`) announcement in the challenge's channels."""
    so_far = "" if opening else await _so_far(session, challenge)
    return await _post_to_channels(core, session, challenge,
                                   lambda command_word: _lifecycle(challenge, opening, so_far, command_word))


async def send_digests(core: Core, session: AsyncSession, *, chart: bytes | None = None) -> list[str]:
    """The leaders' and the community digests now, each covering the time since its last scheduled fire.

    `chart` is drawn by the caller (bot.digest.draw_digest_chart) before it opened this transaction."""
    now = core.now()
    reached = await send_leaders_digest(core, session, await period_since_last(
        session, job_id=LEADERS_DIGEST_JOB, end=now), chart=chart)
    community = core.config.digests.community
    if community is not None:
        period = await period_since_last(session, job_id=COMMUNITY_DIGEST_JOB, end=now)
        reached += await send_community_digest(core, session, period, list(community.channels), chart=chart)
    return reached


async def preview_digest(core: Core, session: AsyncSession, *, chart: bytes | None = None) -> Message:
    period = await period_since_last(session, job_id=LEADERS_DIGEST_JOB, end=core.now())
    return await compose_digest(core, session, period, for_leaders=True, chart=chart)


async def run_digest_command(core: Core, session: AsyncSession, *, preview: bool, requested_by: str,
                             chart: bytes | None = None) -> Message:
    """`/idea digest [preview]`: the preview is the caller's reply only; otherwise the digests go out now."""
    if preview:
        return await preview_digest(core, session)  # a reply to one person: no chart upload behind it
    reached = await send_digests(core, session, chart=chart)
    where = ", ".join(reached) or "nobody on a live platform"
    return Message(text=f"Digest queued for {where}.")
