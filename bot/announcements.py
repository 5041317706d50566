"""Challenge prompts and digests: composed here, queued to the outbox, shared by commands and the scheduler."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ChallengeConfig
from bot.context import Core
from bot.message import Message
from bot.services.delivery import queue_channel_post
from storage import ideas


async def compose_prompt(core: Core, session: AsyncSession, challenge: ChallengeConfig, rotation: int) -> Message:
    question = challenge.questions[rotation % len(challenge.questions)]
    top = await ideas.top_ideas(session, challenge_key=challenge.key, limit=1000)
    people = {idea.author_ref for idea, _ in top}
    so_far = f"{len(top)} ideas from {len(people)} people so far." if top else "Be the first to share an idea."
    how = f"Share yours: /idea <your idea> (or `idea <your idea>` to the bot in Teams). {so_far}"
    return Message(text=f"{challenge.title}: {question}\n{how}", title=challenge.title, body=question, context=how)


async def post_prompt(
    core: Core, session: AsyncSession, challenge: ChallengeConfig, rotation: int
) -> list[str]:
    """Queues today's question to the challenge's channels; returns where it went."""
    message = await compose_prompt(core, session, challenge, rotation)
    sent = []
    for platform, conversation in core.channels_for(challenge):
        if await queue_channel_post(core, session, f"{platform}:{conversation}", message):
            sent.append(f"{platform}:{conversation}")
    return sent


async def run_digest_command(core: Core, session: AsyncSession, *, preview: bool, requested_by: str) -> Message:
    """`/idea digest [preview]`. The full "you said, we did" digest arrives with the scheduler issue."""
    from bot.services.stats import stats_reply

    summary = await stats_reply(core, session)
    return Message(text="Digest preview (campaign so far):\n" + summary.text, title="Digest preview",
                   fields=summary.fields)
