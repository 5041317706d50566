"""Votes: from reactions, buttons or commands; one per person per idea, never on one's own by default."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import own_anonymous_reaction_notice
from bot.context import Core
from bot.errors import UserError
from bot.grammar import CLOSED_STATUSES
from bot.services.delivery import queue_post_updates
from storage import ideas, participants
from storage.models import Idea


class VoteTarget(Protocol):
    """What deciding whether a vote counts needs of an idea: an Idea, or the vote path's plain row of it."""

    @property
    def number(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def challenge_key(self) -> str: ...
    @property
    def author_ref(self) -> str: ...
    @property
    def anonymous(self) -> bool: ...
    @property
    def merged_into_id(self) -> int | None: ...


def vote_emoji_name(reaction: str) -> str:
    """A reaction or configured emoji as one name: app.yaml may write ":+1:" or "Heart"."""
    return reaction.strip(":").lower()


def check_votable(core: Core, idea: VoteTarget, voter_ref: str) -> None:
    if idea.merged_into_id is not None:
        raise UserError(f"Idea #{idea.number} was merged into another idea; please vote for that one instead.")
    if idea.status in CLOSED_STATUSES:
        state = idea.status.replace("_", " ")
        raise UserError(f"Idea #{idea.number} is closed ({state}); votes are no longer counted.")
    challenge = core.config.challenge(idea.challenge_key)
    if challenge is not None and challenge.closes is not None and challenge.closes < core.today():
        raise UserError(
            f"The challenge for idea #{idea.number} closed on {challenge.closes}; votes are no longer counted.")
    if idea.author_ref == voter_ref and not core.config.voting.self_votes:
        raise UserError(f"Idea #{idea.number} is yours, and votes for your own idea don't count.")


def reaction_notice(core: Core, idea: VoteTarget, voter_ref: str, *, counted: bool) -> str | None:
    """For a vote reaction on one's own anonymous idea: the private warning that the platform shows the
    reaction with the person's name (whatever else refused the vote, the reaction is still on show)."""
    if not idea.anonymous or idea.author_ref != voter_ref:
        return None
    platform = core.traits_of(voter_ref.partition(":")[0])
    return own_anonymous_reaction_notice(idea.number, platform.name, platform.command(), counted=counted)


async def cast_vote(core: Core, session: AsyncSession, *, idea: Idea, voter_ref: str) -> bool:
    """Counts a vote given by command or button; False when this person's vote was already counted.
    (Reactions are counted in batches by bot/services/reaction_batch.py.)"""
    check_votable(core, idea, voter_ref)
    added = await ideas.add_vote(session, idea=idea, voter_ref=voter_ref, now=core.now())
    if added:
        await participants.record_contribution(session, ref=voter_ref, now=core.now())
        await queue_post_updates(core, session, idea)
    return added


async def withdraw_vote(core: Core, session: AsyncSession, *, idea: Idea, voter_ref: str) -> bool:
    """Removes the vote given by command; True when there was one."""
    removed = await ideas.remove_vote(session, idea=idea, voter_ref=voter_ref)
    if removed:
        await queue_post_updates(core, session, idea)
    return removed


async def remove_reaction_vote(session: AsyncSession, *, idea_id: int, voter_ref: str, emoji: str) -> bool:
    """Takes one vote emoji off; the vote goes once none of that person's vote emoji remains. True when it
    went (vote_count is the caller's to update)."""
    if await ideas.remove_reaction(session, idea_id=idea_id, voter_ref=voter_ref, emoji=emoji):
        return False
    return await ideas.delete_vote(session, idea_id=idea_id, voter_ref=voter_ref)
