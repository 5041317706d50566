"""What every service needs: configuration, the database, the clock and which platforms are live."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import utc_now
from bot.config import AppConfig, ChallengeConfig
from bot.errors import Refused
from bot.metrics import Metrics
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

    def channels_for(self, challenge: ChallengeConfig) -> list[tuple[str, str]]:
        """(platform, conversation) pairs where this challenge's ideas are posted, on live platforms."""
        pairs = []
        for ref in challenge.channels:
            platform, _, conversation = ref.partition(":")
            if platform in self.platforms:
                pairs.append((platform, conversation))
        if "playground" in self.platforms and not any(p == "playground" for p, _ in pairs):
            pairs.append(("playground", challenge.key))
        return pairs

    def challenge_for(self, platform: str, conversation: str | None) -> ChallengeConfig | None:
        if conversation is None:
            return None
        if platform == "playground":
            found = self.config.challenge(conversation)
            if found:
                return found
        return self.config.challenge_for_channel(f"{platform}:{conversation}")

    def open_challenges(self) -> list[ChallengeConfig]:
        today = self.today()
        return [c for c in self.config.challenges if c.is_open(today)]

    def wake_outbox(self) -> None:
        self.outbox_wakeup.set()
