"""`crowdbot fika report` and the dashboard's fika section: the trial's figures as a message."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.message import Message, MessageField, Section
from storage.fika_report import FikaFigures, Participation, fika_figures


def _per_person(count: int, people: int) -> str:
    return f"{count / people:.2f}" if people else "n/a"


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.0f}%" if whole else "n/a"


def _participation_lines(label: str, figures: Participation) -> str:
    return (f"{label}: {figures.people} people, {_share(figures.contributors, figures.people)} took part; per person "
            f"{_per_person(figures.ideas, figures.people)} ideas, {_per_person(figures.comments, figures.people)} "
            f"comments, {_per_person(figures.votes, figures.people)} votes")


def report_message(figures: FikaFigures) -> Message:
    answered = sum(figures.answers.values())
    met_share = _share(figures.groups_met, figures.groups)
    fields = (
        MessageField("Rounds", str(figures.rounds)),
        MessageField("People paired", f"{figures.people_paired} ({figures.opted_in} opted in now)"),
        MessageField("Groups that met", f"{figures.groups_met} of {figures.groups} ({met_share})"),
        MessageField("Answers", ", ".join(f"{figures.answers.get(k, 0)} {label}" for k, label in
                                          (("met", "met"), ("not_yet", "not yet"), ("cant", "can't")))
                     + f" ({answered} answers)"),
        MessageField("Ideas from fika conversations", str(figures.ideas_from_fika)),
    )
    lines = (_participation_lines("Took part in fika", figures.fika),
             _participation_lines("Everyone else the bot knows", figures.others),
             "Ideas counted are those shared with a name; anonymous ideas are left out of this comparison.")
    title = "Randomised fika: the trial so far"
    text = title + "\n" + "\n".join(f"{f.label}: {f.value}" for f in fields) + "\n" + "\n".join(lines)
    return Message(text=text, title=title, fields=fields, sections=(Section("Participation", lines),))


async def fika_report(session: AsyncSession) -> Message:
    return report_message(await fika_figures(session))
