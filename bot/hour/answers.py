"""Answers (replies in a question's thread) and agreements (reactions on an answer) during an idea hour."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.errors import UserError
from bot.events import ReactionChanged, ThreadReply
from bot.hour.run import hour_channels
from bot.message import Message, Reply
from bot.services.validation import clean_text
from bot.services.voting import vote_emoji_name
from storage import bulk, hours
from storage.hours import AnswerRef


def hour_ended(command_word: str) -> str:
    return ("This idea hour has ended, so your reply is not counted as an answer. Thank you for it: you can still "
            f"share it as an idea with `{command_word} <your idea>`.")


OtherReactions = Callable[[AsyncSession, list[ReactionChanged]], Awaitable[list[Reply]]]


def hour_places(core: Core) -> frozenset[tuple[str, str]]:
    """Every (platform, conversation) an idea hour posts in: reactions there may be agreements."""
    return frozenset(place for hour in core.config.idea_hours for place in hour_channels(core, hour))


async def apply_hour_replies(core: Core, session: AsyncSession, events: list[ThreadReply]) -> list[Reply | None]:
    """Replies in an hour's channels, in one transaction: those in a question's thread are answers. None for
    the others (not in a question's thread: the caller handles them as usual, e.g. comments on idea posts)."""
    await hours.lock_open_runs(session)
    found: dict[tuple[str, str | None, str | None], tuple[int, bool]] = {}
    for platform in {e.address.platform for e in events}:
        threads = [e.address.thread for e in events if e.address.platform == platform and e.address.thread]
        for (conversation, message_id), value in (await hours.questions_for_posts(
                session, platform=platform, message_ids=threads)).items():
            found[(platform, conversation, message_id)] = value
    results: list[Reply | None] = [None] * len(events)
    answering = [i for i, e in enumerate(events) if _thread(e) in found]
    fresh = await _fresh(core, session, events, answering, results)
    rows, keys = [], {}
    for index in fresh:
        event = events[index]
        question_id, running = found[_thread(event)]
        try:
            if not running:
                raise UserError(hour_ended(core.command_word(event.actor.platform)))
            text = clean_text(event.text, what="answer", limit=core.config.campaign.comment_max_length)
        except UserError as error:
            results[index] = Reply(messages=(Message(text=error.message),))
            continue
        address = event.address
        keys[index] = (address.platform, address.conversation or "", event.message_id)
        rows.append({"question_id": question_id, "platform": address.platform,
                     "conversation": address.conversation or "", "message_id": event.message_id,
                     "author_ref": event.actor.ref, "text": text, "created_at": core.now()})
    added = await hours.add_answers(session, rows=rows)
    await bulk.ensure_participants(session, names={events[i].actor.ref: events[i].actor.display_name for i in fresh},
                                   contributors=[events[i].actor.ref for i, key in keys.items() if key in added],
                                   now=core.now())
    await _early_agreements(core, session, added)
    for index, key in keys.items():
        results[index] = Reply(changed=key in added)
    return results


async def _early_agreements(core: Core, session: AsyncSession, added: dict[tuple[str, str, str], tuple[int, str]]
                            ) -> None:
    """Reactions that reached us before the answer they are on now count as agreements."""
    rows = []
    for platform in {platform for platform, _, _ in added}:
        keys = {(conversation, message_id) for p, conversation, message_id in added if p == platform}
        for early in await hours.take_early_reactions(session, platform=platform, keys=keys):
            answer_id, author = added[(platform, early.conversation, early.message_id)]
            if early.person_ref != author or core.config.voting.self_votes:
                rows.append((answer_id, early.person_ref, early.emoji))
    if rows:
        await hours.add_agreements(session, rows=rows, now=core.now())
        await bulk.mark_contributors(session, refs=[person for _, person, _ in rows], now=core.now())


def _thread(event: ThreadReply) -> tuple[str, str | None, str | None]:
    return event.address.platform, event.address.conversation, event.address.thread


async def _fresh(core: Core, session: AsyncSession, events: list, indexes: list[int],
                 results: list[Reply | None]) -> list[int]:
    """The indexes whose platform event id is new; retries and replays are answered as duplicates."""
    keys = {i: f"{events[i].actor.platform}:{events[i].event_id}" for i in indexes if events[i].event_id}
    claimed = await bulk.claim_events(session, keys=keys.values(), now=core.now())
    fresh, seen = [], set()
    for index in indexes:
        key = keys.get(index)
        if key is not None and (key not in claimed or key in seen):
            results[index] = Reply(duplicate=True)
            continue
        seen.add(key)
        fresh.append(index)
    return fresh


@dataclass
class _Agreement:
    index: int
    answer: AnswerRef
    person: str
    emoji: str


async def apply_hour_reactions(core: Core, session: AsyncSession, events: list[ReactionChanged],
                               others: OtherReactions) -> list[Reply]:
    """Reactions in an hour's channels: those on answers are agreements; the rest go to `others` (votes)."""
    await hours.lock_open_runs(session)
    found: dict[tuple[str, str | None, str | None], tuple[AnswerRef, bool]] = {}
    for platform in {e.address.platform for e in events}:
        message_ids = [e.address.message for e in events if e.address.platform == platform and e.address.message]
        for (conversation, message_id), value in (await hours.answers_for_messages(
                session, platform=platform, message_ids=message_ids)).items():
            found[(platform, conversation, message_id)] = value
    on_answers = [i for i, e in enumerate(events) if _key(e) in found]
    replies = [Reply() for _ in events]
    rest = [i for i in range(len(events)) if i not in set(on_answers)]
    if rest:
        for index, reply in zip(rest, await others(session, [events[i] for i in rest]), strict=True):
            replies[index] = reply
    if on_answers:
        await _agreements(core, session, events, on_answers, found, replies)
    await _keep_early(core, session, [events[i] for i in rest])
    return replies


async def _keep_early(core: Core, session: AsyncSession, events: list[ReactionChanged]) -> None:
    """Reactions in a running hour's channels on messages not known as answers: perhaps answers not stored yet."""
    if not events:
        return
    running = {place for run in await hours.open_runs(session) if (hour := core.config.idea_hour(run.hour_key))
               for place in hour_channels(core, hour)}
    chosen = [e for e in events if (e.address.platform, e.address.conversation) in running]
    if not chosen:
        return
    await bulk.ensure_participants(session, names={e.actor.ref: e.actor.display_name for e in chosen}, now=core.now())
    for event in chosen:
        place = (event.address.platform, event.address.conversation or "", event.address.message or "",
                 event.actor.ref, vote_emoji_name(event.reaction))
        if event.added:
            await hours.keep_early_reactions(session, rows=[place], now=core.now())
        else:
            platform, conversation, message_id, person, emoji = place
            await hours.forget_early_reaction(session, platform=platform, conversation=conversation,
                                              message_id=message_id, person_ref=person, emoji=emoji)


def _key(event: ReactionChanged) -> tuple[str, str | None, str | None]:
    return event.address.platform, event.address.conversation, event.address.message


async def _agreements(core: Core, session: AsyncSession, events: list[ReactionChanged], indexes: list[int],
                      found: dict, replies: list[Reply]) -> None:
    fresh = []
    for index in await _fresh(core, session, events, indexes, replies):  # type: ignore[arg-type]
        answer, running = found[_key(events[index])]
        person = events[index].actor.ref
        # After the hour the figures are final; agreeing with one's own answer is not agreement.
        if running and (person != answer.author_ref or core.config.voting.self_votes):
            fresh.append(_Agreement(index, answer, person, vote_emoji_name(events[index].reaction)))
    adds: list[_Agreement] = []
    for item in fresh:
        if events[item.index].added:
            adds.append(item)
            continue
        await _add(core, session, adds)  # a removal must see the additions that came before it
        adds = []
        await hours.remove_agreement(session, answer_id=item.answer.id, person_ref=item.person, emoji=item.emoji)
    await _add(core, session, adds)
    await bulk.ensure_participants(session, names={a.person: events[a.index].actor.display_name for a in fresh},
                                   contributors={a.person for a in fresh if events[a.index].added}, now=core.now())
    for item in fresh:
        replies[item.index] = Reply(changed=True)


async def _add(core: Core, session: AsyncSession, adds: list[_Agreement]) -> None:
    if adds:
        await hours.add_agreements(session, rows=[(a.answer.id, a.person, a.emoji) for a in adds], now=core.now())
