"""Idea hours in the database: runs, posted questions and their posts, answers and agreements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.bulk import insert_many_ignoring_conflict
from storage.models import (
    Idea,
    IdeaHourAgreement,
    IdeaHourAnswer,
    IdeaHourEarlyReaction,
    IdeaHourPost,
    IdeaHourQuestion,
    IdeaHourRun,
    Participant,
)
from storage.upsert import insert_ignoring_conflict


def aware(value: datetime | str | None) -> datetime | None:
    """SQLite hands datetimes back naive (or as text from aggregates); they are all UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


async def start_run(session: AsyncSession, *, hour_key: str, challenge_key: str, started_by: str,
                    now: datetime) -> IdeaHourRun | None:
    """The new run, or None when this hour was already started (by a replica, the schedule or a host)."""
    values = {"hour_key": hour_key, "challenge_key": challenge_key, "started_by": started_by, "started_at": now}
    if not await insert_ignoring_conflict(session, IdeaHourRun, values, conflict=["hour_key"]):
        return None
    return await get_run(session, hour_key=hour_key)


async def get_run(session: AsyncSession, *, hour_key: str, for_update: bool = False) -> IdeaHourRun | None:
    statement = select(IdeaHourRun).where(col(IdeaHourRun.hour_key) == hour_key)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def open_runs(session: AsyncSession) -> list[IdeaHourRun]:
    statement = select(IdeaHourRun).where(col(IdeaHourRun.ended_at).is_(None)).order_by(col(IdeaHourRun.id))
    return list((await session.execute(statement)).scalars())


async def lock_open_runs(session: AsyncSession) -> None:
    """Takes the running hours' rows for this transaction (PostgreSQL; SQLite's writers queue anyway). Answers,
    agreements and an hour's end then happen one after another: an answer is stored before the end or not at
    all, and a reaction and the answer it is on never miss each other."""
    if session.get_bind().dialect.name != "postgresql":
        return
    statement = select(col(IdeaHourRun.id)).where(col(IdeaHourRun.ended_at).is_(None)).order_by(col(IdeaHourRun.id))
    await session.execute(statement.with_for_update())


async def end_run(session: AsyncSession, *, run_id: int, now: datetime) -> bool:
    """True for the one caller that ended it."""
    result = await session.execute(
        update(IdeaHourRun)
        .where(col(IdeaHourRun.id) == run_id, col(IdeaHourRun.ended_at).is_(None))
        .values(ended_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def add_question(session: AsyncSession, *, run_id: int, position: int, text: str,
                       now: datetime) -> IdeaHourQuestion | None:
    """The posted question, or None when that position was posted already."""
    values = {"run_id": run_id, "position": position, "text": text, "posted_at": now}
    if not await insert_ignoring_conflict(session, IdeaHourQuestion, values, conflict=["run_id", "position"]):
        return None
    statement = select(IdeaHourQuestion).where(col(IdeaHourQuestion.run_id) == run_id,
                                               col(IdeaHourQuestion.position) == position)
    return (await session.execute(statement)).scalar_one()


async def last_position(session: AsyncSession, *, run_id: int) -> int:
    statement = select(func.max(col(IdeaHourQuestion.position))).where(col(IdeaHourQuestion.run_id) == run_id)
    return int((await session.execute(statement)).scalar_one_or_none() or 0)


async def questions_of(session: AsyncSession, *, run_id: int) -> list[IdeaHourQuestion]:
    statement = (
        select(IdeaHourQuestion).where(col(IdeaHourQuestion.run_id) == run_id).order_by(col(IdeaHourQuestion.position))
    )
    return list((await session.execute(statement)).scalars())


async def record_post(session: AsyncSession, *, question_id: int, platform: str, conversation: str,
                      message_id: str) -> None:
    if await session.get(IdeaHourQuestion, question_id) is None:
        return  # a replaced rehearsal's question, deleted while its post was on its way (storage.hour_rehearsals)
    values = {"question_id": question_id, "platform": platform, "conversation": conversation,
              "message_id": message_id}
    await insert_ignoring_conflict(session, IdeaHourPost, values, conflict=["platform", "conversation", "message_id"])


async def questions_for_posts(session: AsyncSession, *, platform: str, message_ids: Iterable[str]
                              ) -> dict[tuple[str, str], tuple[int, bool]]:
    """Question posts among these messages, keyed by (conversation, message id): (question id, hour running)."""
    chosen = list(set(message_ids))
    if not chosen:
        return {}
    statement = (
        select(
            col(IdeaHourPost.conversation),
            col(IdeaHourPost.message_id),
            col(IdeaHourQuestion.id),
            col(IdeaHourRun.ended_at),
        )
        .join(IdeaHourQuestion, col(IdeaHourQuestion.id) == col(IdeaHourPost.question_id))
        .join(IdeaHourRun, col(IdeaHourRun.id) == col(IdeaHourQuestion.run_id))
        .where(col(IdeaHourPost.platform) == platform, col(IdeaHourPost.message_id).in_(chosen))
    )
    return {(conversation, message_id): (question_id, ended is None)
            for conversation, message_id, question_id, ended in (await session.execute(statement)).all()
            if question_id is not None}


async def add_answers(session: AsyncSession, *, rows: list[dict]) -> dict[tuple[str, str, str], tuple[int, str]]:
    """Stores answers (dicts of IdeaHourAnswer columns) in order. Returns, for those that were new (the others are
    retries or replays), (platform, conversation, message id) -> (answer id, author)."""
    inserted = await insert_many_ignoring_conflict(
        session, IdeaHourAnswer, rows, conflict=["platform", "conversation", "message_id"],
        returning=[col(IdeaHourAnswer.platform), col(IdeaHourAnswer.conversation), col(IdeaHourAnswer.message_id),
                   col(IdeaHourAnswer.id), col(IdeaHourAnswer.author_ref)])
    return {(platform, conversation, message_id): (answer_id, author)
            for platform, conversation, message_id, answer_id, author in inserted}


class AnswerRef(NamedTuple):
    """What an agreement needs of the answer it is on."""
    id: int
    author_ref: str


async def answers_for_messages(session: AsyncSession, *, platform: str, message_ids: Iterable[str]
                               ) -> dict[tuple[str, str], tuple[AnswerRef, bool]]:
    """Answers posted as these messages, keyed by (conversation, message id), with whether their hour is open
    (plain rows: agreements arrive by the thousand in an hour)."""
    chosen = list(set(message_ids))
    if not chosen:
        return {}
    statement = (select(col(IdeaHourAnswer.conversation), col(IdeaHourAnswer.message_id), col(IdeaHourAnswer.id),
                        col(IdeaHourAnswer.author_ref), col(IdeaHourRun.ended_at))
                 .join(IdeaHourQuestion, col(IdeaHourQuestion.id) == col(IdeaHourAnswer.question_id))
                 .join(IdeaHourRun, col(IdeaHourRun.id) == col(IdeaHourQuestion.run_id))
                 .where(col(IdeaHourAnswer.platform) == platform, col(IdeaHourAnswer.message_id).in_(chosen)))
    return {(conversation, message_id): (AnswerRef(int(answer_id or 0), author), ended is None)
            for conversation, message_id, answer_id, author, ended in (await session.execute(statement)).all()}


async def add_agreements(session: AsyncSession, *, rows: list[tuple[int, str, str]], now: datetime) -> None:
    """(answer id, person, emoji) rows; repeats are ignored."""
    values = [{"answer_id": a, "person_ref": p, "emoji": e, "created_at": now} for a, p, e in rows]
    await insert_many_ignoring_conflict(session, IdeaHourAgreement, values,
                                        conflict=["answer_id", "person_ref", "emoji"])


async def remove_agreement(session: AsyncSession, *, answer_id: int, person_ref: str, emoji: str) -> None:
    await session.execute(delete(IdeaHourAgreement).where(
        col(IdeaHourAgreement.answer_id) == answer_id, col(IdeaHourAgreement.person_ref) == person_ref,
        col(IdeaHourAgreement.emoji) == emoji))


async def answers_of(session: AsyncSession, *, run_id: int) -> list[tuple[IdeaHourAnswer, int]]:
    """Every answer of the run in order (question, then arrival), with how many people agree with it."""
    agreeing = (select(col(IdeaHourAgreement.answer_id), func.count(func.distinct(col(IdeaHourAgreement.person_ref)))
                       .label("people")).group_by(col(IdeaHourAgreement.answer_id)).subquery())
    statement = (select(IdeaHourAnswer, func.coalesce(agreeing.c.people, 0))
                 .join(IdeaHourQuestion, col(IdeaHourQuestion.id) == col(IdeaHourAnswer.question_id))
                 .outerjoin(agreeing, agreeing.c.answer_id == col(IdeaHourAnswer.id))
                 .where(col(IdeaHourQuestion.run_id) == run_id)
                 .order_by(col(IdeaHourQuestion.position), col(IdeaHourAnswer.id)))
    return [(answer, int(people)) for answer, people in (await session.execute(statement)).all()]


async def people_of(session: AsyncSession, *, run_id: int) -> set[str]:
    """Everyone who answered or agreed with an answer in this run."""
    questions = select(col(IdeaHourQuestion.id)).where(col(IdeaHourQuestion.run_id) == run_id)
    authors = select(col(IdeaHourAnswer.author_ref)).where(col(IdeaHourAnswer.question_id).in_(questions))
    answer_ids = select(col(IdeaHourAnswer.id)).where(col(IdeaHourAnswer.question_id).in_(questions))
    agreers = select(col(IdeaHourAgreement.person_ref)).where(col(IdeaHourAgreement.answer_id).in_(answer_ids))
    return set((await session.execute(authors.union(agreers))).scalars())


async def first_contributions_since(session: AsyncSession, *, refs: set[str], since: datetime) -> int:
    """How many of these people made their first contribution to the campaign at or after `since`."""
    if not refs:
        return 0
    statement = select(func.count()).select_from(Participant).where(
        col(Participant.ref).in_(list(refs)), col(Participant.first_contribution_at) >= since)
    return int((await session.execute(statement)).scalar_one())


async def set_promoted(session: AsyncSession, *, answer_id: int, idea_id: int) -> bool:
    result = await session.execute(
        update(IdeaHourAnswer)
        .where(col(IdeaHourAnswer.id) == answer_id, col(IdeaHourAnswer.promoted_idea_id).is_(None))
        .values(promoted_idea_id=idea_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def nth_answer(session: AsyncSession, *, question_id: int, number: int) -> IdeaHourAnswer | None:
    """The answer numbered `number` (1 = first to arrive) under a question."""
    if number < 1:
        return None
    statement = (select(IdeaHourAnswer).where(col(IdeaHourAnswer.question_id) == question_id)
                 .order_by(col(IdeaHourAnswer.id)).offset(number - 1).limit(1))
    return (await session.execute(statement)).scalar_one_or_none()


async def question_at(session: AsyncSession, *, run_id: int, position: int) -> IdeaHourQuestion | None:
    statement = select(IdeaHourQuestion).where(col(IdeaHourQuestion.run_id) == run_id,
                                               col(IdeaHourQuestion.position) == position)
    return (await session.execute(statement)).scalar_one_or_none()


async def post_of(session: AsyncSession, *, question_id: int, platform: str, conversation: str) -> IdeaHourPost | None:
    statement = select(IdeaHourPost).where(
        col(IdeaHourPost.question_id) == question_id,
        col(IdeaHourPost.platform) == platform,
        col(IdeaHourPost.conversation) == conversation,
    )
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def count_answers(session: AsyncSession, *, question_id: int) -> int:
    statement = select(func.count()).select_from(IdeaHourAnswer).where(col(IdeaHourAnswer.question_id) == question_id)
    return int((await session.execute(statement)).scalar_one())


async def agreement_count(session: AsyncSession, *, answer_id: int) -> int:
    statement = select(func.count(func.distinct(col(IdeaHourAgreement.person_ref)))).where(
        col(IdeaHourAgreement.answer_id) == answer_id)
    return int((await session.execute(statement)).scalar_one())


async def promoted_ideas(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """idea id -> (its number, whether it is anonymous), for answers turned into ideas."""
    chosen = list(set(idea_ids))
    if not chosen:
        return {}
    rows = await session.execute(
        select(col(Idea.id), col(Idea.number), col(Idea.anonymous)).where(col(Idea.id).in_(chosen))
    )
    return {idea_id: (number, anonymous) for idea_id, number, anonymous in rows.all() if idea_id is not None}


async def answer_place(session: AsyncSession, *, platform: str, conversation: str | None, message_id: str
                       ) -> tuple[str, int, int] | None:
    """For an answer's message: (hour key, question position, answer number within the question)."""
    statement = (select(col(IdeaHourAnswer.id), col(IdeaHourAnswer.question_id), col(IdeaHourQuestion.position),
                        col(IdeaHourRun.hour_key))
                 .join(IdeaHourQuestion, col(IdeaHourQuestion.id) == col(IdeaHourAnswer.question_id))
                 .join(IdeaHourRun, col(IdeaHourRun.id) == col(IdeaHourQuestion.run_id))
                 .where(col(IdeaHourAnswer.platform) == platform, col(IdeaHourAnswer.message_id) == message_id))
    if conversation is not None:
        statement = statement.where(col(IdeaHourAnswer.conversation) == conversation)
    row = (await session.execute(statement.limit(1))).first()
    if row is None:
        return None
    answer_id, question_id, position, hour_key = row
    earlier = select(func.count()).select_from(IdeaHourAnswer).where(
        col(IdeaHourAnswer.question_id) == question_id, col(IdeaHourAnswer.id) <= answer_id)
    return hour_key, position, int((await session.execute(earlier)).scalar_one())


async def keep_early_reactions(session: AsyncSession, *, rows: list[tuple[str, str, str, str, str]],
                               now: datetime) -> None:
    """(platform, conversation, message id, person, emoji) reactions on messages not known as answers yet."""
    values = [{"platform": p, "conversation": c, "message_id": m, "person_ref": who, "emoji": e, "created_at": now}
              for p, c, m, who, e in rows]
    await insert_many_ignoring_conflict(session, IdeaHourEarlyReaction, values,
                                        conflict=["platform", "conversation", "message_id", "person_ref", "emoji"])


async def forget_early_reaction(session: AsyncSession, *, platform: str, conversation: str, message_id: str,
                                person_ref: str, emoji: str) -> None:
    await session.execute(delete(IdeaHourEarlyReaction).where(
        col(IdeaHourEarlyReaction.platform) == platform, col(IdeaHourEarlyReaction.conversation) == conversation,
        col(IdeaHourEarlyReaction.message_id) == message_id, col(IdeaHourEarlyReaction.person_ref) == person_ref,
        col(IdeaHourEarlyReaction.emoji) == emoji))


async def take_early_reactions(session: AsyncSession, *, platform: str, keys: set[tuple[str, str]]
                               ) -> list[IdeaHourEarlyReaction]:
    """Removes and returns the early reactions on these (conversation, message id) messages."""
    if not keys:
        return []
    statement = select(IdeaHourEarlyReaction).where(
        col(IdeaHourEarlyReaction.platform) == platform,
        col(IdeaHourEarlyReaction.message_id).in_([message_id for _, message_id in keys]))
    found = [row for row in (await session.execute(statement)).scalars() if (row.conversation, row.message_id) in keys]
    if found:
        await session.execute(delete(IdeaHourEarlyReaction).where(
            col(IdeaHourEarlyReaction.id).in_([row.id for row in found])))
    return found
