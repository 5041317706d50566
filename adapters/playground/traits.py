"""What the core needs to know of the playground: every challenge has a room of its own, named by its key,
and commands start with /idea as typed in the composer."""

from __future__ import annotations

from adapters.playground.translate import COMMAND_WORD
from bot.platform import PlatformTraits


def room_of(challenge_key: str) -> str:
    return challenge_key


TRAITS = PlatformTraits(name="the playground", command_word=COMMAND_WORD, room_per_challenge=room_of)
