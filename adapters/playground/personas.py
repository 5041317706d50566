"""Who you can be in the playground: the app.yaml roles with the `playground:` prefix, plus made-up staff."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import AppConfig
from bot.events import Actor

PLATFORM = "playground"


@dataclass(frozen=True)
class Persona:
    name: str
    role: str  # shown next to the name: staff, community manager, leader, admin

    @property
    def actor(self) -> Actor:
        return Actor(PLATFORM, self.name, self.name)


def personas(config: AppConfig) -> list[Persona]:
    """Staff first (the everyday view), then community managers, leaders and admins; each name once."""
    found: dict[str, Persona] = {}
    for name in config.playground.staff:
        found.setdefault(name, Persona(name, "staff"))
    roles = (("community manager", config.roles.community_managers), ("leader", config.roles.leaders),
             ("admin", config.roles.admins))
    for role, refs in roles:
        for ref in refs:
            platform, _, name = ref.partition(":")
            if platform == PLATFORM and name not in found:
                found[name] = Persona(name, role)
    return list(found.values())
