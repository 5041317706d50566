"""Clearing a rehearsed idea hour's run, so the playground can rehearse the hour again under the same key."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    IdeaHourAgreement,
    IdeaHourAnswer,
    IdeaHourPost,
    IdeaHourQuestion,
    IdeaHourReminderRequest,
    IdeaHourRun,
)


async def delete_run(session: AsyncSession, *, hour_key: str) -> int | None:
    """Deletes the run of `hour_key` with its questions, their posts, answers and agreements, and the reminder
    requests already served. The number of answers it had, or None when there was no run. The caller makes sure
    the key is a rehearsal's: nothing here knows real hours from rehearsals."""
    run_id = (await session.execute(select(col(IdeaHourRun.id)).where(col(IdeaHourRun.hour_key) == hour_key)
                                    .with_for_update())).scalar_one_or_none()
    if run_id is None:
        return None
    questions = select(col(IdeaHourQuestion.id)).where(col(IdeaHourQuestion.run_id) == run_id)
    answers = select(col(IdeaHourAnswer.id)).where(col(IdeaHourAnswer.question_id).in_(questions))
    answered = (await session.execute(select(func.count()).select_from(answers.subquery()))).scalar_one()
    await session.execute(delete(IdeaHourAgreement).where(col(IdeaHourAgreement.answer_id).in_(answers)))
    await session.execute(delete(IdeaHourAnswer).where(col(IdeaHourAnswer.question_id).in_(questions)))
    await session.execute(delete(IdeaHourPost).where(col(IdeaHourPost.question_id).in_(questions)))
    await session.execute(delete(IdeaHourQuestion).where(col(IdeaHourQuestion.run_id) == run_id))
    await session.execute(delete(IdeaHourRun).where(col(IdeaHourRun.id) == run_id))
    # Requests still waiting were made for the coming run (its announcements); served ones belong to the old run.
    await session.execute(delete(IdeaHourReminderRequest).where(
        col(IdeaHourReminderRequest.hour_key) == hour_key, col(IdeaHourReminderRequest.sent_at).is_not(None)))
    return int(answered)
