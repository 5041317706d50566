"""The platform-neutral message model: the core answers with these; each adapter renders them.

All text here is plain text exactly as people typed it. Adapters escape it for their platform
(Slack mrkdwn entities, Adaptive Card text, HTML) when they render, never the core. No markdown either
(no backticks): not every surface renders it.

Size is designed here, per part: a Section is a list of entries (lines), each entry short enough to stand on
its own (compose shortens long notes with a pointer to the whole), and lists are capped with an "and N more"
line. Adapters then lay the entries out within their platform's limits (Slack blocks of 3,000 characters,
Teams activities of 80 KB) without cutting any entry off.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class MessageField:
    label: str
    value: str


@dataclass(frozen=True)
class MessageAction:
    """A button. action_id is what comes back in ActionInvoked.action; value its value."""

    label: str
    action_id: str
    value: str


@dataclass(frozen=True)
class ChallengeChoice:
    key: str
    title: str


@dataclass(frozen=True)
class IdeaForm:
    """Ask the person for an idea: challenge picker, idea text, anonymous toggle."""

    challenges: tuple[ChallengeChoice, ...]
    default_challenge: str | None = None
    max_length: int = 1000
    source: str | None = None  # where the form was opened from (e.g. "fika:<group id>"); comes back on submit


@dataclass(frozen=True)
class Section:
    """A block of lines under an optional heading (digest parts, lists)."""

    heading: str
    lines: tuple[str, ...] = ()
    # Aligned with lines: a button beside that entry (e.g. "Read the full note"); shorter means none for the rest.
    line_actions: tuple[MessageAction | None, ...] = ()

    def entries(self) -> list[tuple[str, MessageAction | None]]:
        """Each line with its button, if it has one."""
        return [(line, self.line_actions[i] if i < len(self.line_actions) else None)
                for i, line in enumerate(self.lines)]


@dataclass(frozen=True)
class Message:
    text: str  # always set: the whole message as plain text (the CLI, screen readers, a last-resort fallback)
    summary: str | None = None  # a short version for notifications and fallbacks (Slack's `text`, Teams' summary)
    title: str | None = None
    body: str | None = None
    fields: tuple[MessageField, ...] = ()
    sections: tuple[Section, ...] = ()
    actions: tuple[MessageAction, ...] = ()
    context: str | None = None  # a small hint line, e.g. how to vote
    image_png: bytes | None = None
    image_alt: str | None = None
    form: IdeaForm | None = None
    idea_number: int | None = None  # set on idea posts, so adapters can track them
    # On idea posts: the people whose own view of the card differs (author, backers), most relevant first, each
    # ref followed by the platform's other ids for them; Teams refreshes the card for them (Universal Actions).
    viewers: tuple[str, ...] = ()

    @property
    def short_text(self) -> str:
        return self.summary or self.text

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["image_png"] = base64.b64encode(self.image_png).decode() if self.image_png else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(
            text=data["text"],
            summary=data.get("summary"),
            title=data.get("title"),
            body=data.get("body"),
            fields=tuple(MessageField(**f) for f in data.get("fields") or ()),
            sections=tuple(_section_from_json(s) for s in data.get("sections") or ()),
            actions=tuple(MessageAction(**a) for a in data.get("actions") or ()),
            context=data.get("context"),
            image_png=base64.b64decode(data["image_png"]) if data.get("image_png") else None,
            image_alt=data.get("image_alt"),
            form=_form_from_json(data.get("form")),
            idea_number=data.get("idea_number"),
            viewers=tuple(data.get("viewers") or ()),
        )


def _section_from_json(data: dict[str, Any]) -> Section:
    actions = tuple(MessageAction(**a) if a else None for a in data.get("line_actions") or ())
    return Section(data["heading"], tuple(data.get("lines") or ()), actions)


def _form_from_json(data: dict[str, Any] | None) -> IdeaForm | None:
    if not data:
        return None
    choices = tuple(ChallengeChoice(**c) for c in data["challenges"])
    return IdeaForm(choices, data.get("default_challenge"), data.get("max_length", 1000), data.get("source"))


@dataclass(frozen=True)
class Reply:
    """What the core answers to an inbound event: messages for the caller only (ephemeral)."""

    messages: tuple[Message, ...] = ()
    duplicate: bool = False  # the event was a retry or replay and changed nothing
    changed: bool = False  # something was stored
    unavailable: bool = False  # the database did not answer: platforms that retry should be asked to
    refused: bool = False  # bad input or not allowed: the messages say why, nothing changed
    card: Message | None = None  # after a button press: the message it was on, as it is now (Teams refreshes it)
    # The person's sign-in address would let fika link to a chat with them: a platform that can look it up
    # answers with a SignInAddressFound event.
    wants_sign_in_address: bool = False

    @property
    def first(self) -> Message | None:
        return self.messages[0] if self.messages else None


@dataclass(frozen=True)
class Destination:
    """Where the outbox delivers: a channel (optionally a thread in it) or a person's direct messages."""

    platform: str
    conversation: str | None = None
    user_id: str | None = None
    thread: str | None = None
