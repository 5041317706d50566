"""Counts vote reactions, the only way they are counted: a batch of them in one transaction with
set-at-a-time statements, in arrival order (a batch of one when a batch fails and its events are retried)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.errors import UserError
from bot.events import ReactionChanged
from bot.message import Message, Reply
from bot.services import voting
from bot.services.delivery import UPDATE_COALESCE_DELAY, queue_updates_for_ideas
from storage import bulk, inbound, outbox, vote_batch, vote_counts
from storage.bulk import VotableIdea


@dataclass
class _PendingVote:
    index: int
    idea: VotableIdea
    voter: str
    emoji: str


@dataclass
class _Tally:
    """What the batch changed, applied to the ideas' counts once at its end, in id order."""
    deltas: Counter[int] = field(default_factory=Counter)
    merged_into: dict[int, int | None] = field(default_factory=dict)
    contributors: set[str] = field(default_factory=set)
    grouped: set[int] = field(default_factory=set)  # ideas with duplicates merged into them

    def count(self, idea: VotableIdea, delta: int) -> None:
        self.deltas[idea.id] += delta
        self.merged_into[idea.id] = idea.merged_into_id

    def ideas_to_refresh(self) -> set[int]:
        return set(self.deltas) | {parent for parent in self.merged_into.values() if parent is not None}


async def apply_reactions(core: Core, session: AsyncSession, events: list[ReactionChanged]) -> list[Reply]:
    now = core.now()
    replies = [Reply() for _ in events]
    tally = _Tally()
    keys = {i: f"{e.actor.platform}:{e.event_id}" for i, e in enumerate(events) if e.event_id}
    messages: dict[str, list[str]] = {}
    for event in events:
        if event.address.message:
            messages.setdefault(event.address.platform, []).append(event.address.message)
    claimed, posted, tally.grouped = await bulk.claim_events_and_find_ideas(
        session, keys=keys.values(), messages=messages, now=now)
    fresh = _fresh_indexes(events, keys, claimed, replies)
    unknown = [i for i in fresh if (events[i].address.platform, events[i].address.conversation,
                                    events[i].address.message) not in posted]
    for index in await _racing_their_post(session, events, unknown):
        # The post is out but not yet recorded: this may be a vote on it. Ask the platform to try again
        # (Slack redelivers), rather than drop it; its event id must not count as seen meanwhile.
        replies[index] = Reply(unavailable=True)
        if events[index].event_id:
            await inbound.forget_event(session, key=f"{events[index].actor.platform}:{events[index].event_id}")
    names = {events[i].actor.ref: events[i].actor.display_name for i in fresh}
    if core.db.is_postgres and all(events[i].added for i in fresh):
        adds = [_PendingVote(i, idea, events[i].actor.ref, voting.vote_emoji_name(events[i].reaction))
                for i in fresh if (idea := _posted(posted, events[i])) is not None]
        if all(vote.idea.merged_into_id is None and vote.idea.id not in tally.grouped for vote in adds):
            # Only adds, on plain ideas: counts shift rather than being recounted, so one statement does it all.
            valid = _votable(core, adds, replies)
            added = await vote_batch.add_votes_in_one_statement(
                session, reactions=[(v.idea.id, v.voter, v.emoji) for v in valid],
                votes=[(v.idea.id, v.voter) for v in valid], names=names, platforms=core.platforms,
                due=now + UPDATE_COALESCE_DELAY, now=now)
            _acknowledge(core, valid, added, replies, tally)
            return replies
    pending: list[_PendingVote] = []
    for index in fresh:
        event = events[index]
        idea = _posted(posted, event)
        if idea is None:
            continue
        emoji = voting.vote_emoji_name(event.reaction)
        if event.added:
            pending.append(_PendingVote(index, idea, event.actor.ref, emoji))
            continue
        # A removal must see the adds before it: insert those first, then take this one off.
        await _insert_adds(core, session, pending, replies, tally)
        pending = []
        removed = await voting.remove_reaction_vote(session, idea_id=idea.id,
                                                    voter_ref=event.actor.ref, emoji=emoji)
        replies[index] = Reply(changed=removed)
        if removed:
            tally.count(idea, -1)
    await _insert_adds(core, session, pending, replies, tally)
    await vote_counts.apply_vote_deltas(session, deltas=tally.deltas, merged_into=tally.merged_into,
                                        grouped=tally.grouped)
    await bulk.ensure_participants(session, names=names, contributors=tally.contributors, now=now)
    await queue_updates_for_ideas(core, session, tally.ideas_to_refresh())
    return replies


def _fresh_indexes(events: list[ReactionChanged], keys: dict[int, str], claimed: set[str], replies: list[Reply]
                   ) -> list[int]:
    """The events not seen before (the rest are retries or replays, answered as duplicates)."""
    fresh, seen = [], set()
    for index in range(len(events)):
        key = keys.get(index)
        if key is not None and (key not in claimed or key in seen):
            replies[index] = Reply(duplicate=True)
            continue
        seen.add(key)
        fresh.append(index)
    return fresh


async def _racing_their_post(session: AsyncSession, events: list[ReactionChanged], indexes: list[int]) -> list[int]:
    racing = []
    for platform in {events[i].address.platform for i in indexes}:
        candidates = [i for i in indexes if events[i].address.platform == platform]
        posting = await outbox.conversations_being_posted(
            session, platform=platform, conversations={events[i].address.conversation or "" for i in candidates})
        racing += [i for i in candidates if events[i].address.conversation in posting]
    return racing


def _posted(posted: dict[bulk.MessageKey, VotableIdea], event: ReactionChanged) -> VotableIdea | None:
    return posted.get((event.address.platform, event.address.conversation, event.address.message))


def _votable(core: Core, pending: list[_PendingVote], replies: list[Reply]) -> list[_PendingVote]:
    """The votes that may count; the others are answered with why not."""
    valid = []
    for vote in pending:
        try:
            voting.check_votable(core, vote.idea, vote.voter)
        except UserError as error:
            notice = voting.reaction_notice(core, vote.idea, vote.voter, counted=False) or error.message
            replies[vote.index] = Reply(messages=(Message(text=notice),))
            continue
        valid.append(vote)
    return valid


async def _insert_adds(
    core: Core, session: AsyncSession, pending: list[_PendingVote], replies: list[Reply], tally: _Tally
) -> None:
    valid = _votable(core, pending, replies)
    if not valid:
        return
    added = await bulk.add_reactions_and_votes(session, reactions=[(v.idea.id, v.voter, v.emoji) for v in valid],
                                               votes=[(v.idea.id, v.voter) for v in valid], now=core.now())
    _acknowledge(core, valid, added, replies, tally)


def _acknowledge(
    core: Core, valid: list[_PendingVote], added: set[tuple[int, str]], replies: list[Reply], tally: _Tally
) -> None:
    """Answers each vote: counted once per person and idea, however many vote emoji they added in this batch."""
    for vote in valid:
        pair = (vote.idea.id, vote.voter)
        counted = pair in added
        if counted:
            added.discard(pair)
            tally.count(vote.idea, 1)
            tally.contributors.add(vote.voter)
        warning = voting.reaction_notice(core, vote.idea, vote.voter, counted=True)
        replies[vote.index] = Reply(messages=(Message(text=warning),) if warning else (), changed=counted)
