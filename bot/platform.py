"""What the core needs to know of a platform, declared by its adapter and handed over by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformTraits:
    """name: how messages name the platform to its people ("Slack shows your reaction to everyone").
    command_word: what a person writes before a command where the bot answers them (help, usage and errors
    quote it). shared_command_word: the same in a channel everyone reads, where it differs (Teams: an
    @mention). room_per_challenge: for a platform that gives every challenge a conversation of its own, that
    conversation's id from the challenge key; it is where the challenge's ideas go when app.yaml names none.
    group_conversation: the bot can open one conversation for a group of people (a fika group meets there).
    group_chat_link: where it cannot, a link that starts a chat with people by their sign-in addresses and a
    topic (None when no link can be made)."""

    name: str = "the chat platform"
    command_word: str = "/idea"
    shared_command_word: str | None = None
    room_per_challenge: Callable[[str], str] | None = None
    group_conversation: bool = False
    group_chat_link: Callable[[Sequence[str], str], str | None] | None = None

    def command(self, *, shared: bool = False) -> str:
        return (self.shared_command_word or self.command_word) if shared else self.command_word


DEFAULT_TRAITS = PlatformTraits()
