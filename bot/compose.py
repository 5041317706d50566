"""Message composition: turns ideas and figures into platform-neutral messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.grammar import HORIZON_NAMES, USAGE
from bot.message import Message, MessageAction, MessageField, Section
from bot.roles import DECIDERS, MANAGERS, Role
from storage.erasure import FORMER_PARTICIPANT
from storage.models import Idea, StatusChange
from storage.stats import CampaignFigures

VOTE_ACTION = "vote"
FULL_NOTE_ACTION = "full_note"  # its value is the idea's number: the whole decision note, to the presser only
REFRESH_ACTION = "refresh"  # an idea card as it is for the person looking at it (Teams' Universal Actions)
FULL_NOTE_LABEL = "Read the full note"
POST_IDEA_ACTION = "post_idea"  # its value is a pending idea's token, never the text
# Glyphs rather than Slack shortcodes, so the hint reads the same in Slack, Teams and the browser.
EMOJI_GLYPHS = {"+1": "👍", "thumbsup": "👍", "like": "👍", "heart": "❤️", "tada": "🎉", "star": "⭐",
                "raised_hands": "🙌", "clap": "👏", "bulb": "💡"}


def status_label(status: str) -> str:
    return status.replace("_", " ")


def horizon_label(horizon: str | None) -> str:
    return f"{horizon} ({HORIZON_NAMES[horizon]})" if horizon else "not set"


class Authored(Protocol):
    """An idea as stored or as exported: whose it is and whether they asked to stay anonymous."""

    @property
    def anonymous(self) -> bool: ...
    @property
    def author_ref(self) -> str: ...


def author_label(idea: Authored, names: dict[str, str]) -> str:
    if idea.anonymous:
        return "anonymous"
    return named_author(idea.author_ref, names.get(idea.author_ref))


def named_author(author_ref: str, stored_name: str | None) -> str:
    """A non-anonymous author as shown: their stored display name, else the id part of their ref."""
    if author_ref == FORMER_PARTICIPANT:
        return "a former participant"
    return stored_name or author_ref.partition(":")[2]


def shorten(text: str, limit: int = 120) -> str:
    """Whitespace flattened; cut at the last word boundary inside `limit` (counting the "…") when longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    # A word boundary in the last third keeps the cut natural; a very long word is cut where it must be.
    if space > (limit - 1) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


NOTE_EXCERPT = 280  # characters of a decision note in lists; the whole note is one `show #N` away


def note_excerpt(note: str, number: int, limit: int = NOTE_EXCERPT) -> str:
    """A decision note for a list line: whole when short, else shortened with where to read all of it."""
    flat = " ".join(note.split())
    if len(flat) <= limit:
        return flat
    return f"{shorten(flat, limit)} (whole note: show #{number})"


def note_action(note: str | None, number: int, limit: int = NOTE_EXCERPT) -> MessageAction | None:
    """The "Read the full note" button for a list entry whose note `note_excerpt` shortens; None otherwise."""
    if not note or len(" ".join(note.split())) <= limit:
        return None
    return MessageAction(FULL_NOTE_LABEL, FULL_NOTE_ACTION, str(number))


def full_note_message(idea: Idea, decision: StatusChange) -> Message:
    """An idea's whole decision note, for the person who asked (the author is not named: ideas may be anonymous)."""
    title = f"Decision note on idea #{idea.number}"
    said = shorten(idea.text, 300)
    status = status_label(decision.to_status)
    return Message(text=f"{title}\nYou said: {said}\nStatus: {status}\n\n{decision.note}",
                   summary=f"{title} ({status})", title=title,
                   fields=(MessageField("You said", said), MessageField("Status", status)),
                   sections=(Section("We did", (decision.note,)),), idea_number=idea.number)


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
    viewers: tuple[str, ...] = ()  # see Message.viewers


@dataclass(frozen=True)
class Viewer:
    """One person looking at an idea card: is it theirs, do they back it."""

    own: bool = False
    backs: bool = False


def viewer_line(view: IdeaView, viewer: Viewer) -> str | None:
    """What is true for this person only: their own idea, their vote, how it was decided."""
    idea, status = view.idea, status_label(view.idea.status)
    decided = view.last_decision is not None or idea.status not in ("new", "under_review")
    if viewer.own:
        hidden = " Shared anonymously: only you see that it is yours." if idea.anonymous else ""
        return (f"Your idea is {status}." if decided else "This is your idea.") + hidden
    if viewer.backs:
        return f"You backed this idea; it is {status}." if decided else "You back this idea."
    return None


def idea_card(view: IdeaView, vote_emoji: Sequence[str], viewer: Viewer | None = None) -> Message:
    """The idea's post; with `viewer`, as that person sees it (Teams shows it to them in place of the post)."""
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
    # A decision note may run to the comment limit: a section of its own holds it whole on every platform.
    decision = (Section("Decision", (view.last_decision.note,)),) \
        if view.last_decision is not None and view.last_decision.note else ()
    if view.merged_into_number is not None:
        fields.append(MessageField("Merged into", f"#{view.merged_into_number}"))
        actions: tuple[MessageAction, ...] = ()
        hint = f"This idea was merged into #{view.merged_into_number}: vote there."
    else:
        actions = (MessageAction("Vote", VOTE_ACTION, str(idea.number)),)
        emoji = " or ".join(dict.fromkeys(EMOJI_GLYPHS.get(name, f":{name}:") for name in vote_emoji))
        hint = f"How to vote: react with {emoji} or press Vote. Reply in the thread to comment."
    personal = viewer_line(view, viewer) if viewer is not None else None
    if personal is not None:
        actions = ()  # their vote is counted, or the idea is theirs: the button has nothing left to do
        hint = personal
    summary = " | ".join(f"{f.label}: {f.value}" for f in fields)
    decided = f"\nDecision: {view.last_decision.note}" if decision else ""  # type: ignore[union-attr]
    return Message(
        text=f"Idea #{idea.number}: {idea.text}\n{summary}{decided}",
        summary=f"Idea #{idea.number}: {shorten(idea.text, 300)}\n{summary}",
        title=f"Idea #{idea.number}",
        body=idea.text,
        fields=tuple(fields),
        sections=decision,
        actions=actions,
        context=hint,
        idea_number=idea.number,
        viewers=view.viewers if viewer is None else (),
    )


def idea_line(idea: Idea, votes: int | None = None) -> str:
    votes_part = f" ({votes} vote{'s' if votes != 1 else ''})" if votes is not None else ""
    return f"#{idea.number} {shorten(idea.text)}{votes_part} [{status_label(idea.status)}]"


def idea_list(title: str, lines: Sequence[str], empty: str, noun: str = "idea",
              line_actions: Sequence[MessageAction | None] = ()) -> Message:
    if not lines:
        return Message(text=f"{title}\n{empty}", title=title, body=empty)
    count = f"{len(lines)} {noun}{'s' if len(lines) != 1 else ''}"
    return Message(text=title + "\n" + "\n".join(lines), summary=f"{title}: {count}", title=title,
                   sections=(Section("", tuple(lines), tuple(line_actions)),))


def help_message(roles: set[Role], problem: str | None = None, command_word: str = "/idea") -> Message:
    staff = ["submit", "top", "compare", "mine", "stats", "show", "vote", "notifications", "fika", "forget", "help"]
    managers = ["status", "horizon", "theme", "themes", "duplicates", "merge", "unmerge", "prompt", "digest"]
    lines = [f"{command_word} {USAGE[key]}" for key in staff]
    sections = [Section("Everyone", tuple(lines))]
    if roles & (MANAGERS | DECIDERS):
        manager_lines = [f"{command_word} {USAGE[key]}" for key in managers]
        sections.append(Section("Community managers", tuple(manager_lines)))
    intro = problem or "Share an idea, vote with a reaction, comment in the thread."
    text = intro + "\n" + "\n".join(line for section in sections for line in section.lines)
    return Message(text=text, title="Crowdbot help", body=intro, sections=tuple(sections))


# What the bot cannot hide: the platform itself shows who replied or reacted.
ANONYMITY_LIMITS = ("To stay anonymous, don't reply in your idea's thread or react to its post: "
                    "the platform shows your name on those.")
ANONYMOUS_TYPED_IN_PUBLIC = ("Everyone here can see who typed that message, so I didn't post it as an "
                             "anonymous idea (nothing was saved; you may want to delete your message). To share "
                             "an idea anonymously, open the submission card (type idea on its own) and tick "
                             "'Share anonymously', or send anon <your idea> to me in a 1:1 chat.")


def confirmation(idea: Idea, challenge_title: str, anonymous: bool) -> Message:
    who = " anonymously (only the bot knows it was you)" if anonymous else ""
    text = (f"Thanks, your idea #{idea.number} is in{who}. It is posted to {challenge_title}; "
            f"you'll hear from the community team when it moves on.")
    if anonymous:
        text += " " + ANONYMITY_LIMITS
    return Message(text=text)


def command_or_idea(keyword: str, usage: str, text: str, challenge_title: str, token: str,
                    command_word: str) -> Message:
    """Asks the person alone whether a text that starts with a command word was a command or an idea."""
    title = "A command or an idea?"
    body = (f"“{shorten(text, 200)}” starts with `{keyword}`, which is also a command: {usage}\n"
            f"If you meant the command, type it again as shown. If it is an idea for {challenge_title}, "
            f"press Post as idea and it is posted as usual.")
    hint = (f"Tip: start an idea with `{command_word} new` (e.g. `{command_word} new top up the hand gel`) and it is "
            "always taken as an idea.")
    return Message(text=f"{title}\n{body}\n{hint}", title=title, body=body, context=hint,
                   actions=(MessageAction("Post as idea", POST_IDEA_ACTION, token),))


def own_anonymous_reaction_notice(number: int, platform_name: str, command_word: str, *, counted: bool) -> str:
    """Told privately to someone who reacted with a vote emoji to their own anonymous idea."""
    shown = (f"{platform_name} shows your reaction to everyone, with your name, so it could reveal that the idea "
             "is yours.")
    if counted:
        return (f"Your vote for your anonymous idea #{number} counts, but {shown} "
                f"To stay anonymous, remove the reaction and vote with `{command_word} vote #{number}` instead.")
    return (f"Idea #{number} is your anonymous idea, so your reaction doesn't count as a vote. "
            f"{shown[0].upper()}{shown[1:]} Removing the reaction keeps you anonymous.")


def percent(value: float | None) -> str:
    """A share that says something: whole percents from 10%, one decimal below (0.5%, not 0%), never a
    rounded 0% or 100% for a share that is neither."""
    if value is None:
        return "n/a"
    share = value * 100
    if share in (0, 100):
        return f"{share:.0f}%"
    if 0 < share < 0.1:
        return "under 0.1%"
    if 99.5 <= share < 100:
        return f"{min(share, 99.9):.1f}%"
    text = f"{share:.0f}%" if share >= 10 else f"{share:.1f}%"
    return text.replace(".0%", "%")


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
    return Message(text=text, summary=f"Your idea #{idea.number} is now {status_label(change.to_status)}.",
                   title=f"Update on your idea #{idea.number}", body=text)
