"""Pure translation from the page's JSON requests to core events; bad input raises BadInput with a clear message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.playground.personas import PLATFORM, Persona
from bot.compose import VOTE_ACTION
from bot.events import ActionInvoked, Address, CommandInvoked, IdeaFormSubmitted, ThreadReply

COMMAND_WORD = "/idea"
MAX_IDEA_NUMBER_DIGITS = 9  # more digits name no idea and overflow a database integer


class BadInput(Exception):
    """The request cannot become an event; the message says what to fix."""


def text_field(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadInput(f"{name} must be text.")
    return value


def persona_of(body: Mapping[str, Any], personas: Mapping[str, Persona]) -> Persona:
    name = text_field(body, "as")
    if name not in personas:
        raise BadInput(f"Unknown persona {name!r}: pick one of {', '.join(personas)}.")
    return personas[name]


def channel_of(body: Mapping[str, Any], channels: set[str]) -> str:
    key = text_field(body, "channel")
    if key not in channels:
        raise BadInput(f"Unknown channel {key!r}: the channels are {', '.join(sorted(channels))}.")
    return key


def command_event(persona: Persona, channel: str, body: Mapping[str, Any]) -> CommandInvoked:
    text = text_field(body, "text").strip()
    word, _, rest = text.partition(" ")
    if word.lower() != COMMAND_WORD:
        raise BadInput("Commands start with /idea, e.g. `/idea Quieter break rooms` or `/idea help`. "
                       "To comment on an idea, reply in its thread. Nothing was sent.")
    return CommandInvoked(persona.actor, Address(PLATFORM, channel), rest)


def reply_event(persona: Persona, channel: str, thread: str, reply_id: str, body: Mapping[str, Any]) -> ThreadReply:
    text = text_field(body, "text")
    if not text.strip():
        raise BadInput("Write something to reply. Nothing was sent.")
    return ThreadReply(persona.actor, Address(PLATFORM, channel, thread=thread), text, reply_id, reply_id)


def action_event(persona: Persona, channel: str, message: str | None, body: Mapping[str, Any]) -> ActionInvoked:
    action, value = text_field(body, "action"), text_field(body, "value")
    if not action:
        raise BadInput("No button action given.")
    # isascii: str.isdigit() also accepts "²" (which int() cannot read) and "١٢" (which it reads as 12).
    if action == VOTE_ACTION and not (value.isascii() and value.isdigit() and len(value) <= MAX_IDEA_NUMBER_DIGITS):
        raise BadInput("A vote's value must be an idea number such as 3. Nothing was changed.")
    return ActionInvoked(persona.actor, Address(PLATFORM, channel, message=message), action, value)


def form_event(persona: Persona, channel: str, body: Mapping[str, Any]) -> IdeaFormSubmitted:
    anonymous = body.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise BadInput("anonymous must be true or false.")
    source = text_field(body, "source") or None  # the form's origin, e.g. "fika:<group id>"; the core checks it
    return IdeaFormSubmitted(persona.actor, Address(PLATFORM, channel), text_field(body, "challenge"),
                             text_field(body, "text"), anonymous, source=source)
