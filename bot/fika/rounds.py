"""A fika round: who takes part, the draw from a recorded seed, the groups stored and their messages queued,
all in the caller's transaction (the scheduler's claim, or a command's)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ChallengeConfig, FikaConfig
from bot.context import Core
from bot.errors import UserError
from bot.fika import compose
from bot.fika.announce import announce_round
from bot.fika.pairing import draw_round
from bot.message import Message
from bot.platform import PlatformTraits
from bot.roles import MANAGERS
from bot.services.delivery import queue_direct, queue_directs
from storage import fika, participants
from storage.fika_models import FikaPerson

logger = logging.getLogger(__name__)


def settings(core: Core) -> FikaConfig:
    if core.config.fika is None:
        raise UserError("Fika is not set up for this campaign (no `fika:` section in app.yaml).")
    return core.config.fika


async def run_round(core: Core, session: AsyncSession, *, started_by: str, at: datetime) -> Message:
    """Draws and queues a round; with fewer than two people available, tells the managers and sends nothing."""
    config = settings(core)
    number = await fika.next_round_number(session)
    challenge = _challenge(core, config, at, number)
    if challenge is None:
        return await _not_run(core, session, "no challenge is open, so there is no question to talk about.")
    everyone = await fika.opted_in(session)
    available = [p for p in everyone if not p.skip_next and _platform(p.ref) in core.platforms]
    if len(available) < 2:
        skipping = sum(p.skip_next for p in everyone)
        reason = (f"{len(available)} {'person is' if len(available) == 1 else 'people are'} opted in and available "
                  f"({len(everyone)} opted in, {skipping} sitting this round out); a round needs at least two.")
        return await _not_run(core, session, reason)
    seed = secrets.randbits(62)
    attributes, notes = _attributes(config, available)
    drawn = draw_round([p.ref for p in available], seed=seed, group_size=config.group_size,
                       history=await fika.history(session), attributes=attributes)
    question = challenge.questions[await fika.rounds_with_challenge(session, challenge_key=challenge.key)
                                   % len(challenge.questions)]
    fika_round, group_ids = await fika.create_round(
        session, number=number, seed=seed, challenge_key=challenge.key, question=question, started_by=started_by,
        now=at, follow_up_at=at + timedelta(days=config.follow_up_after_days), groups=drawn.groups)
    await fika.clear_skips(session, now=at)
    names = await display_names(session, [ref for group in drawn.groups for ref in group])
    by_ref = {p.ref: p for p in available}
    messages: list[tuple[str, Message]] = []
    for group_id, group in zip(group_ids, drawn.groups, strict=True):
        messages += _group_messages(group_id, group, names, by_ref, challenge, question, core.traits_of)
    await queue_directs(core, session, messages)
    await announce_round(core, session, config, number=number, people=len(available), challenge=challenge,
                         question=question, at=at)
    if drawn.repeats:
        notes.append(f"{drawn.repeats} pair(s) met before: every other pairing among these people was used.")
    if notes:
        await _tell_managers(core, session, Message(text=f"Fika round {number}: " + " ".join(notes)))
    logger.info("fika: round %d drew %d groups from seed %d (%d repeats)", number, len(group_ids), seed,
                drawn.repeats)
    return compose.round_summary(number=fika_round.number, people=len(available), groups=len(group_ids),
                                 question=question, notes=notes)


def _platform(ref: str) -> str:
    return ref.partition(":")[0]


def _challenge(core: Core, config: FikaConfig, at: datetime, number: int) -> ChallengeConfig | None:
    """The configured challenge, else the open challenges in turn, one per round."""
    if config.challenge is not None:
        return core.config.challenge(config.challenge)
    today = at.astimezone(core.timezone).date()
    open_now = [c for c in core.config.challenges if c.is_open(today)]
    return open_now[(number - 1) % len(open_now)] if open_now else None


def _attributes(config: FikaConfig, people: list[FikaPerson]) -> tuple[dict[str, str | None] | None, list[str]]:
    if config.prefer_mixing is None:
        return None, []
    values = {p.ref: getattr(p, config.prefer_mixing) for p in people}
    if not any(values.values()):
        return None, [f"prefer_mixing is {config.prefer_mixing}, but nobody taking part has a "
                      f"{config.prefer_mixing} in the people list (crowdbot people import people.csv), so groups "
                      "were drawn uniformly at random."]
    return values, []


async def display_names(session: AsyncSession, refs: list[str]) -> dict[str, str]:
    people = await fika.people(session, refs=refs)
    seen = await participants.display_names(session, refs=set(refs))
    return {ref: (people[ref].name if ref in people and people[ref].name else None) or seen.get(ref)
            or ref.partition(":")[2] for ref in refs}


def _group_messages(group_id: int, group: tuple[str, ...], names: dict[str, str], by_ref: dict[str, FikaPerson],
                    challenge: ChallengeConfig, question: str, traits_of: Callable[[str], PlatformTraits]
                    ) -> list[tuple[str, Message]]:
    """One message for the group's conversation, or where that cannot be opened one to each member."""
    platforms = {_platform(ref) for ref in group}
    if len(platforms) == 1 and traits_of(next(iter(platforms))).group_conversation:
        platform = platforms.pop()
        users = ",".join(ref.partition(":")[2] for ref in group)
        message = compose.introduction(people=[names[ref] for ref in group], challenge_title=challenge.title,
                                       question=question, group_id=group_id,
                                       command_word=traits_of(platform).command_word)
        return [(f"{platform}:{users}", message)]
    messages = []
    for ref in group:  # where a bot cannot open a group chat: each member hears who the others are
        others = [other for other in group if other != ref]
        emails = [email for other in others if (email := by_ref[other].email)]
        # The link needs everyone's sign-in address (from the people CSV); a partial one would leave someone out,
        # so without it the message says plainly how to find them.
        chat_link = traits_of(_platform(ref)).group_chat_link
        link = None
        if chat_link is not None:
            link = (chat_link(emails, "Fika") if len(emails) == len(others) else None) \
                or compose.no_chat_link([names[other] for other in others])
        messages.append((ref, compose.introduction(people=[names[other] for other in others],
                                                   challenge_title=challenge.title, question=question,
                                                   group_id=group_id, to_one=True, chat_link=link,
                                                   command_word=traits_of(_platform(ref)).command_word)))
    return messages


async def _not_run(core: Core, session: AsyncSession, reason: str) -> Message:
    message = compose.round_not_run(reason)
    await _tell_managers(core, session, message)
    logger.info("fika: round not run: %s", reason)
    return message


async def _tell_managers(core: Core, session: AsyncSession, message: Message) -> None:
    roles = core.config.roles
    for ref in dict.fromkeys([*roles.community_managers, *roles.admins]):
        if core.roles(ref) & MANAGERS:
            await queue_direct(core, session, ref, message)
