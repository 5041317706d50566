"""What every service needs: configuration, the database, the clock and which platforms are live."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import utc_now
from bot.config import AppConfig, ChallengeConfig
from bot.errors import Refused
from bot.metrics import Metrics
from bot.platform import DEFAULT_TRAITS, PlatformTraits
from bot.roles import Role, roles_of
from storage.database import Database


@dataclass
class Core:
    config: AppConfig
    db: Database
    platforms: frozenset[str] = frozenset()
    clock: Callable[[], datetime] = utc_now
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    metrics: Metrics = field(default_factory=Metrics)
    # What each platform's adapter declares (command words, a conversation per challenge); see bot/platform.py.
    traits: Mapping[str, PlatformTraits] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)  # tie-breaks in "A or B?"; tests seed it

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.config.campaign.timezone)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().astimezone(self.timezone).date()

    def roles(self, ref: str) -> set[Role]:
        return roles_of(self.config.roles, ref)

    def require(self, ref: str, allowed: frozenset[Role], what: str) -> None:
        if not self.roles(ref) & allowed:
            names = " or ".join(sorted(role.value + "s" for role in allowed))
            raise Refused(f"Only {names} can {what}. Nothing was changed.")

    def traits_of(self, platform: str) -> PlatformTraits:
        return self.traits.get(platform, DEFAULT_TRAITS)

    def command_word(self, platform: str, *, shared: bool = False) -> str:
        """What a person on `platform` writes before a command (`shared`: in a channel everyone reads)."""
        return self.traits_of(platform).command(shared=shared)

    def channels_for(self, challenge: ChallengeConfig) -> list[tuple[str, str]]:
        """(platform, conversation) pairs where this challenge's ideas are posted, on live platforms."""
        return self.live_channels(challenge.channels, challenge.key)

    def live_channels(self, refs: Iterable[str], challenge_key: str) -> list[tuple[str, str]]:
        """The `platform:conversation` refs on live platforms as pairs, plus the challenge's own conversation on
        each live platform that gives every challenge one and has none among the refs."""
        pairs = []
        for ref in refs:
            platform, _, conversation = ref.partition(":")
            if platform in self.platforms:
                pairs.append((platform, conversation))
        for platform, traits in self.traits.items():
            room = traits.room_per_challenge
            if room is not None and platform in self.platforms and not any(p == platform for p, _ in pairs):
                pairs.append((platform, room(challenge_key)))
        return pairs

    def challenge_for(self, platform: str, conversation: str | None) -> ChallengeConfig | None:
        if conversation is None:
            return None
        room = self.traits_of(platform).room_per_challenge
        if room is not None:
            found = next((c for c in self.config.challenges if room(c.key) == conversation), None)
            if found:
                return found
        return self.config.challenge_for_channel(f"{platform}:{conversation}")

    def open_challenges(self) -> list[ChallengeConfig]:
        today = self.today()
        return [c for c in self.config.challenges if c.is_open(today)]

    def wake_outbox(self) -> None:
        self.outbox_wakeup.set()
