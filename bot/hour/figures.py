"""An hour's figures, read once and shared by the closing post and the report (so the two always agree)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage import hours
from storage.models import IdeaHourAnswer, IdeaHourQuestion, IdeaHourRun

TOP_ANSWERS = 3


@dataclass(frozen=True)
class RankedAnswer:
    number: int  # within its question, by arrival: what `/idea promote` takes
    answer: IdeaHourAnswer
    agreements: int


@dataclass(frozen=True)
class QuestionFigures:
    question: IdeaHourQuestion
    answers: tuple[RankedAnswer, ...]

    @property
    def top(self) -> tuple[RankedAnswer, ...]:
        """The most agreed-with answers (ties: the earlier answer first); answers nobody agreed with are left out."""
        ranked = sorted((a for a in self.answers if a.agreements), key=lambda a: (-a.agreements, a.number))
        return tuple(ranked[:TOP_ANSWERS])


@dataclass(frozen=True)
class HourFigures:
    run: IdeaHourRun
    people: int
    first_timers: int
    questions: tuple[QuestionFigures, ...]

    @property
    def answers(self) -> int:
        return sum(len(q.answers) for q in self.questions)


async def hour_figures(session: AsyncSession, run: IdeaHourRun) -> HourFigures:
    questions = await hours.questions_of(session, run_id=run.id)  # type: ignore[arg-type]
    grouped: dict[int, list[RankedAnswer]] = {q.id: [] for q in questions}  # type: ignore[misc]
    for answer, agreements in await hours.answers_of(session, run_id=run.id):  # type: ignore[arg-type]
        bucket = grouped[answer.question_id]
        bucket.append(RankedAnswer(len(bucket) + 1, answer, agreements))
    people = await hours.people_of(session, run_id=run.id)  # type: ignore[arg-type]
    first = await hours.first_contributions_since(session, refs=people,
                                                  since=hours.aware(run.started_at))  # type: ignore[arg-type]
    return HourFigures(run, len(people), first,
                       tuple(QuestionFigures(q, tuple(grouped[q.id])) for q in questions))  # type: ignore[index]
