"""Identity aliases: a second id a platform uses for one person, and moving what was recorded under it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage import polis
from storage.models import Comment, Idea, IdeaTheme, IdentityAlias, Participant, StatusChange, Vote, VoteReaction
from storage.upsert import insert_ignoring_conflict


async def link_alias(session: AsyncSession, *, alias_ref: str, ref: str, now: datetime) -> bool:
    """Records that alias_ref is ref; True when this is news (the first event showing both)."""
    return await insert_ignoring_conflict(
        session, IdentityAlias, {"alias_ref": alias_ref, "ref": ref, "created_at": now}, conflict=["alias_ref"])


async def primary_ref(session: AsyncSession, *, alias_ref: str) -> str | None:
    row = await session.get(IdentityAlias, alias_ref)
    return row.ref if row else None


async def adopt(session: AsyncSession, *, alias_ref: str, ref: str) -> set[int]:
    """Moves ideas, votes, comments and the participant row from alias_ref to ref. A vote both ids cast on one
    idea stays one vote. Returns the ideas whose voters changed (their counts need a recount)."""
    voted = await session.execute(select(col(Vote.idea_id)).where(col(Vote.voter_ref) == alias_ref))
    touched = {int(idea_id) for (idea_id,) in voted.all()}
    theirs = aliased(Vote)
    await session.execute(delete(Vote).where(col(Vote.voter_ref) == alias_ref, exists().where(
        col(theirs.voter_ref) == ref, col(theirs.idea_id) == col(Vote.idea_id))))
    await session.execute(update(Vote).where(col(Vote.voter_ref) == alias_ref).values(voter_ref=ref))
    same = aliased(VoteReaction)
    await session.execute(
        delete(VoteReaction).where(
            col(VoteReaction.voter_ref) == alias_ref,
            exists().where(
                col(same.voter_ref) == ref,
                col(same.idea_id) == col(VoteReaction.idea_id),
                col(same.emoji) == col(VoteReaction.emoji),
            ),
        )
    )
    await session.execute(update(VoteReaction).where(col(VoteReaction.voter_ref) == alias_ref).values(voter_ref=ref))
    await session.execute(update(Idea).where(col(Idea.author_ref) == alias_ref).values(author_ref=ref))
    await session.execute(update(Comment).where(col(Comment.author_ref) == alias_ref).values(author_ref=ref))
    await session.execute(update(StatusChange).where(col(StatusChange.by_ref) == alias_ref).values(by_ref=ref))
    await session.execute(update(IdeaTheme).where(col(IdeaTheme.added_by) == alias_ref).values(added_by=ref))
    await _merge_participant(session, alias_ref=alias_ref, ref=ref)
    await polis.move(session, alias_ref=alias_ref, ref=ref)  # ref keeps its Polis pid, or takes alias_ref's
    return touched


async def remove_votes_on_own_ideas(session: AsyncSession, *, ref: str) -> set[int]:
    """Deletes ref's votes (and vote reactions) on ideas ref wrote; returns those ideas."""
    own = select(col(Idea.id)).where(col(Idea.author_ref) == ref)
    found = await session.execute(
        select(col(Vote.idea_id)).where(col(Vote.voter_ref) == ref, col(Vote.idea_id).in_(own))
    )
    ideas = {int(idea_id) for (idea_id,) in found.all()}
    await session.execute(delete(Vote).where(col(Vote.voter_ref) == ref, col(Vote.idea_id).in_(own)))
    await session.execute(
        delete(VoteReaction).where(col(VoteReaction.voter_ref) == ref, col(VoteReaction.idea_id).in_(own))
    )
    return ideas


async def _merge_participant(session: AsyncSession, *, alias_ref: str, ref: str) -> None:
    columns = (
        col(Participant.ref),
        col(Participant.first_seen),
        col(Participant.first_contribution_at),
        col(Participant.display_name),
    )
    rows = {row.ref: row for row in (await session.execute(
        select(*columns).where(col(Participant.ref).in_([alias_ref, ref])))).all()}
    old, kept = rows.get(alias_ref), rows.get(ref)
    if old is None:
        return
    if kept is None:
        await session.execute(update(Participant).where(col(Participant.ref) == alias_ref).values(ref=ref))
        return
    firsts = [at for at in (old.first_contribution_at, kept.first_contribution_at) if at is not None]
    await session.execute(update(Participant).where(col(Participant.ref) == ref).values(
        first_seen=min(old.first_seen, kept.first_seen), first_contribution_at=min(firsts) if firsts else None,
        display_name=kept.display_name or old.display_name))
    await session.execute(delete(Participant).where(col(Participant.ref) == alias_ref))


async def aliases_of(session: AsyncSession, *, refs: list[str]) -> dict[str, list[str]]:
    """The second ids linked to each of these people (an empty list for none)."""
    found: dict[str, list[str]] = {ref: [] for ref in refs}
    if refs:
        rows = await session.execute(select(col(IdentityAlias.ref), col(IdentityAlias.alias_ref))
                                     .where(col(IdentityAlias.ref).in_(refs)).order_by(col(IdentityAlias.alias_ref)))
        for ref, alias in rows.all():
            found[ref].append(alias)
    return found
