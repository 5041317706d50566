"""An idea hour's dashboard page data: the report's figures (so page, closing post and report agree) and the
answers per minute for its chart. No author is named on the page, so no anonymous one can be revealed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.hour.report import HourReport, build_report
from storage import hours

MAX_MINUTES = 240  # an hour a host forgot to end still draws a readable chart: the first four hours


@dataclass(frozen=True)
class MinuteCount:
    minute: datetime  # local time, to the minute
    answers: int


@dataclass(frozen=True)
class Promoted:
    question: int
    answer: int
    idea: str  # "#12"


@dataclass(frozen=True)
class HourPageData:
    report: HourReport
    per_minute: tuple[MinuteCount, ...]
    promoted: tuple[Promoted, ...]
    cut_short: bool  # more minutes than the chart shows


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def answers_per_minute(core: Core, report: HourReport) -> tuple[tuple[MinuteCount, ...], bool]:
    """Every minute from the start to the end (or the last answer), with how many answers arrived in it."""
    run = report.figures.run
    stamps = [hours.aware(ranked.answer.created_at) for question in report.figures.questions
              for ranked in question.answers]
    local = [_minute(stamp.astimezone(core.timezone)) for stamp in stamps if stamp is not None]
    start = _minute(hours.aware(run.started_at).astimezone(core.timezone))  # type: ignore[union-attr]
    ended = hours.aware(run.ended_at)
    end = max([start, *local, *([_minute(ended.astimezone(core.timezone))] if ended else [])])
    count = int((end - start).total_seconds() // 60) + 1
    shown = min(count, MAX_MINUTES)
    tally = [0] * shown
    for minute in local:
        index = int((minute - start).total_seconds() // 60)
        if 0 <= index < shown:
            tally[index] += 1
    return tuple(MinuteCount(start + timedelta(minutes=i), n) for i, n in enumerate(tally)), count > shown


async def hour_page_data(core: Core, session: AsyncSession, key: str) -> HourPageData:
    report = await build_report(core, session, key)
    per_minute, cut_short = answers_per_minute(core, report)
    promoted = tuple(Promoted(line.question, line.answer, line.idea) for line in report.lines if line.idea)
    return HourPageData(report, per_minute, promoted, cut_short)
