"""The posts of an idea hour: reminders, the opening, each question and the closing summary."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.compose import shorten
from bot.config import IdeaHourConfig
from bot.hour.figures import HourFigures
from bot.message import Message, MessageAction, Section

HOW_TO_ANSWER = "Answer in this thread (one reply per answer). React to any answer you agree with."
REMIND_ACTION = "hour_remind"  # the announcements' "Remind me" button; its value is the hour's key
TOP_ANSWER_LENGTH = 280  # a top answer is quoted, not reprinted: keeps the closing post well inside one message


def tag(hour: IdeaHourConfig) -> str:
    return f"#{hour.key}"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _lead(before: timedelta) -> str:
    minutes = int(before.total_seconds() // 60)
    if minutes % 1440 == 0:
        return "tomorrow" if minutes == 1440 else f"in {minutes // 1440} days"
    if minutes % 60 == 0:
        return f"in {_plural(minutes // 60, 'hour')}"
    return f"in {_plural(minutes, 'minute')}"


def reminder(hour: IdeaHourConfig, start: datetime, before: timedelta) -> Message:
    title = f"Idea hour {_lead(before)}: {hour.title}"
    body = (f"{start:%A %d %B at %H:%M} ({start:%Z}), right here: {_plural(len(hour.questions), 'question')}, "
            f"one every {hour.question_interval_minutes} minutes. Drop in for one or stay for all of them.")
    remind = MessageAction("Remind me", REMIND_ACTION, hour.key)
    return Message(text=f"{title}\n{body}\n{tag(hour)}", title=title, body=body, context=tag(hour), actions=(remind,))


def opening(hour: IdeaHourConfig, challenge_title: str) -> Message:
    title = f"The idea hour starts now: {hour.title}"
    body = (f"For the next {hour.question_interval_minutes * len(hour.questions)} minutes I'll post "
            f"{_plural(len(hour.questions), 'question')}, one every {hour.question_interval_minutes} minutes. "
            f"Answer each in its thread and react to the answers you agree with. The answers feed the challenge "
            f"\"{challenge_title}\": the strongest become ideas.")
    return Message(text=f"{title}\n{body}\n{tag(hour)}", title=title, body=body, context=tag(hour))


def question(hour: IdeaHourConfig, position: int, text: str) -> Message:
    title = f"Question {position} of {len(hour.questions)} · {hour.title}"
    context = f"{HOW_TO_ANSWER} {tag(hour)}"
    return Message(text=f"{title}\n{text}\n{context}", title=title, body=text, context=context)


def closing(hour: IdeaHourConfig, figures: HourFigures, challenge_title: str, command_word: str = "/idea") -> Message:
    title = f"Thank you! The idea hour has ended: {hour.title}"
    taking_part = (f"{_plural(figures.people, 'person', 'people')} took part "
                   f"({figures.first_timers} for the first time in this campaign), "
                   f"with {_plural(figures.answers, 'answer')}.")
    sections = [Section("Taking part", (taking_part,))]
    for item in figures.questions:
        answers = _plural(len(item.answers), "answer")
        heading = f"Q{item.question.position}: {shorten(item.question.text, 140)} ({answers})"
        lines = tuple(f"{rank}. \"{shorten(top.answer.text, TOP_ANSWER_LENGTH)}\" ({top.agreements} agree)"
                      for rank, top in enumerate(item.top, start=1))
        sections.append(Section(heading, lines or ("No answer has been agreed with yet.",)))
    next_steps = (f"The community team will turn the strongest answers into ideas in \"{challenge_title}\"; if one "
                  f"of yours is chosen I'll tell you privately. Vote on them as on any idea: "
                  f"{command_word} top {figures.run.challenge_key}.")
    sections.append(Section("What happens next", (next_steps,)))
    text = "\n".join([title, *(f"{s.heading}: " + " ".join(s.lines) for s in sections), tag(hour)])
    return Message(text=text, title=title, sections=tuple(sections), context=tag(hour))
