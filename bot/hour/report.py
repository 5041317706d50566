"""`crowdbot hour report KEY`: the hour's transcript grouped by question, as Markdown or CSV, with the same
figures as the closing post (both come from `hour_figures`). An anonymous idea's answer stays anonymous."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.errors import UserError
from bot.exports import _spreadsheet_safe
from bot.hour.control import find_hour
from bot.hour.figures import HourFigures, hour_figures
from storage import hours, participants

TABLE_HEAD = "| # | Answer | Who | When | Agree | Idea |"
CSV_COLUMNS = ("question", "question_text", "answer", "text", "who", "when", "agreements", "idea")


@dataclass(frozen=True)
class ReportLine:
    question: int
    question_text: str
    answer: int
    text: str
    who: str
    when: str
    agreements: int
    idea: str  # "#12" when the answer became an idea


@dataclass(frozen=True)
class HourReport:
    title: str
    key: str
    figures: HourFigures
    started: str
    ended: str
    lines: tuple[ReportLine, ...]


def _local(core: Core, moment: datetime | None) -> str:
    value = hours.aware(moment)
    return f"{value.astimezone(core.timezone):%Y-%m-%d %H:%M}" if value else "still running"


async def build_report(core: Core, session: AsyncSession, key: str) -> HourReport:
    hour = find_hour(core, key)
    run = await hours.get_run(session, hour_key=key)
    if run is None:
        raise UserError(f"The idea hour {key!r} has not run yet, so there is nothing to report.")
    figures = await hour_figures(session, run)
    answers = [ranked for question in figures.questions for ranked in question.answers]
    ideas = await hours.promoted_ideas(session, idea_ids=[r.answer.promoted_idea_id for r in answers
                                                          if r.answer.promoted_idea_id is not None])
    names = await participants.display_names(session, refs={r.answer.author_ref for r in answers})
    lines = []
    for question in figures.questions:
        for ranked in question.answers:
            answer = ranked.answer
            number, anonymous = ideas.get(answer.promoted_idea_id or 0, (None, False))
            who = "anonymous" if anonymous else names.get(answer.author_ref) or answer.author_ref.partition(":")[2]
            lines.append(ReportLine(question.question.position, question.question.text, ranked.number, answer.text,
                                    who, _local(core, answer.created_at), ranked.agreements,
                                    f"#{number}" if number else ""))
    return HourReport(hour.title, key, figures, _local(core, run.started_at), _local(core, run.ended_at), tuple(lines))


def _cell(text: str) -> str:
    # One table cell: no line breaks, and a pipe in someone's answer must not start a new column.
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(report: HourReport) -> str:
    figures = report.figures
    out = [f"# Idea hour: {_cell(report.title)} (#{report.key})", "",
           f"- From {report.started} to {report.ended}",
           f"- People taking part: {figures.people} ({figures.first_timers} for the first time in this campaign)",
           f"- Answers: {figures.answers}", ""]
    for question in figures.questions:
        out += [f"## Q{question.question.position}: {_cell(question.question.text)} "
                f"({len(question.answers)} answers)", ""]
        top = ", ".join(f"answer {r.number} ({r.agreements} agree)" for r in question.top) or "none agreed with"
        out += [f"Most agreed with: {top}", "", TABLE_HEAD, "|---|---|---|---|---|---|"]
        out += [f"| {line.answer} | {_cell(line.text)} | {_cell(line.who)} | {line.when} | {line.agreements} | "
                f"{line.idea} |" for line in report.lines if line.question == question.question.position]
        out.append("")
    return "\n".join(out)


def to_csv(report: HourReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for line in report.lines:
        writer.writerow([_spreadsheet_safe(value) for value in (
            line.question, line.question_text, line.answer, line.text, line.who, line.when, line.agreements,
            line.idea)])
    return buffer.getvalue()
