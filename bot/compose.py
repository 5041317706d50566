"""Message composition: turns ideas and figures into platform-neutral messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.grammar import HORIZON_NAMES, USAGE
from bot.message import Message, MessageAction, MessageField, Section
from bot.roles import DECIDERS, MANAGERS, Role
from storage.models import Idea, StatusChange
from storage.stats import CampaignFigures

VOTE_ACTION = "vote"
# Glyphs rather than Slack shortcodes, so the hint reads the same in Slack, Teams and the browser.
EMOJI_GLYPHS = {"+1": "👍", "thumbsup": "👍", "like": "👍", "heart": "❤️", "tada": "🎉", "star": "⭐",
                "raised_hands": "🙌", "clap": "👏", "bulb": "💡"}


def status_label(status: str) -> str:
    return status.replace("_", " ")


def horizon_label(horizon: str | None) -> str:
    return f"{horizon} ({HORIZON_NAMES[horizon]})" if horizon else "not set"


def author_label(idea: Idea, names: dict[str, str]) -> str:
    if idea.anonymous:
        return "anonymous"
    return names.get(idea.author_ref) or idea.author_ref.partition(":")[2]


def shorten(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class IdeaView:
    """Everything an idea post shows, gathered by one read."""

    idea: Idea
    votes: int
    comments: int
    themes: Sequence[str]
    author: str
    challenge_title: str
    last_decision: StatusChange | None = None
    merged_into_number: int | None = None


def idea_card(view: IdeaView, vote_emoji: Sequence[str]) -> Message:
    idea = view.idea
    fields = [
        MessageField("Challenge", view.challenge_title),
        MessageField("By", view.author),
        MessageField("Votes", str(view.votes)),
        MessageField("Status", status_label(idea.status)),
    ]
    if idea.horizon:
        fields.append(MessageField("Horizon", horizon_label(idea.horizon)))
    if view.themes:
        fields.append(MessageField("Themes", ", ".join(view.themes)))
    if view.last_decision is not None:
        fields.append(MessageField("Decision", view.last_decision.note))
    if view.merged_into_number is not None:
        fields.append(MessageField("Merged into", f"#{view.merged_into_number}"))
        actions: tuple[MessageAction, ...] = ()
        hint = f"This idea was merged into #{view.merged_into_number}: vote there."
    else:
        actions = (MessageAction("Vote", VOTE_ACTION, str(idea.number)),)
        emoji = " or ".join(dict.fromkeys(EMOJI_GLYPHS.get(name, f":{name}:") for name in vote_emoji))
        hint = f"How to vote: react with {emoji} or press Vote. Reply in the thread to comment."
    summary = " | ".join(f"{f.label}: {f.value}" for f in fields)
    return Message(
        text=f"Idea #{idea.number}: {idea.text}\n{summary}",
        title=f"Idea #{idea.number}",
        body=idea.text,
        fields=tuple(fields),
        actions=actions,
        context=hint,
        idea_number=idea.number,
    )


def idea_line(idea: Idea, votes: int | None = None) -> str:
    votes_part = f" ({votes} vote{'s' if votes != 1 else ''})" if votes is not None else ""
    return f"#{idea.number} {shorten(idea.text)}{votes_part} [{status_label(idea.status)}]"


def idea_list(title: str, lines: Sequence[str], empty: str) -> Message:
    if not lines:
        return Message(text=f"{title}\n{empty}", title=title, body=empty)
    return Message(text=title + "\n" + "\n".join(lines), title=title, sections=(Section("", tuple(lines)),))


def help_message(roles: set[Role], problem: str | None = None, command_word: str = "/idea") -> Message:
    staff = ["submit", "top", "mine", "stats", "show", "vote", "notifications", "help"]
    managers = ["status", "horizon", "theme", "themes", "duplicates", "merge", "unmerge", "prompt", "digest"]
    lines = [f"{command_word} {USAGE[key]}" for key in staff]
    sections = [Section("Everyone", tuple(lines))]
    if roles & (MANAGERS | DECIDERS):
        manager_lines = [f"{command_word} {USAGE[key]}" for key in managers]
        sections.append(Section("Community managers", tuple(manager_lines)))
    intro = problem or "Share an idea, vote with a reaction, comment in the thread."
    text = intro + "\n" + "\n".join(line for section in sections for line in section.lines)
    return Message(text=text, title="Crowdbot help", body=intro, sections=tuple(sections))


def confirmation(idea: Idea, challenge_title: str, anonymous: bool) -> Message:
    who = " anonymously (only the bot knows it was you)" if anonymous else ""
    text = (f"Thanks, your idea #{idea.number} is in{who}. It is posted to {challenge_title}; "
            f"you'll hear from the community team when it moves on.")
    return Message(text=text)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def stats_message(
    figures: CampaignFigures, *, audience_size: int, acknowledgement: float | None, campaign: str
) -> Message:
    participation = figures.participants / audience_size if audience_size else None
    decided = figures.decided / figures.ideas if figures.ideas else None
    fields = (
        MessageField("Participation", f"{percent(participation)} ({figures.participants} of {audience_size})"),
        MessageField("Ideas", str(figures.ideas)),
        MessageField("Comments", str(figures.comments)),
        MessageField("Votes", str(figures.votes)),
        MessageField("Community managers active", str(figures.community_managers_active)),
        MessageField("Ideas with a decision", f"{percent(decided)} ({figures.decided})"),
        MessageField("Acknowledged in time", percent(acknowledgement)),
    )
    text = f"{campaign}\n" + "\n".join(f"{f.label}: {f.value}" for f in fields)
    return Message(text=text, title=campaign, fields=fields)


def decision_acknowledgement(idea: Idea, change: StatusChange) -> Message:
    note = f"\nWhat happens next: {change.note}" if change.note else ""
    text = (f"Your idea #{idea.number} is now {status_label(change.to_status)}.{note}\n"
            f"You said: {shorten(idea.text, 200)}")
    return Message(text=text, title=f"Update on your idea #{idea.number}", body=text)
