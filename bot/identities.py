"""One person, one participant: links a platform's second id for a person to their primary id and resolves it.

The first event that shows both ids links them (and moves anything recorded under the second id, so an author
cannot vote for their own idea through it); later events carrying only the second id act as the primary one.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, TypeVar, cast

from bot.context import Core
from bot.events import Actor, Event
from bot.services.delivery import queue_updates_for_ideas
from storage import identities, vote_counts

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)
CACHE_LIMIT = 50_000  # links known in this process (each a few dozen bytes); past it the cache starts over


class Identities:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._primary: dict[str, str] = {}  # alias ref -> primary ref, as linked in the database

    async def resolve(self, event: E) -> E:
        """The event with its actor as their primary id; records a link the event shows for the first time."""
        actor: Actor | None = getattr(event, "actor", None)
        if actor is None:
            return event
        if actor.alias:
            await self._link(f"{actor.platform}:{actor.alias}", actor.ref)
            return event
        if not actor.is_alias:
            return event
        primary = self._primary.get(actor.ref)
        if primary is None:
            async with self.core.db.transaction() as session:
                primary = await identities.primary_ref(session, alias_ref=actor.ref)
            if primary is None:
                return event  # never seen with their primary id: the second id stands for them until then
            self._remember(actor.ref, primary)
        user_id = primary.partition(":")[2]
        # Every event has an actor; mypy's dataclasses.replace cannot see that through the type variable.
        changed: Any = event
        return cast(E, dataclasses.replace(changed, actor=dataclasses.replace(actor, user_id=user_id, is_alias=False)))

    async def _link(self, alias_ref: str, ref: str) -> None:
        if self._primary.get(alias_ref) == ref:
            return
        async with self.core.db.transaction() as session:
            if await identities.link_alias(session, alias_ref=alias_ref, ref=ref, now=self.core.now()):
                touched = await identities.adopt(session, alias_ref=alias_ref, ref=ref)
                if not self.core.config.voting.self_votes:
                    touched |= await identities.remove_votes_on_own_ideas(session, ref=ref)
                await vote_counts.recount(session, idea_ids=touched)
                await queue_updates_for_ideas(self.core, session, touched)
                logger.info("linked a second %s id to its person (%d ideas recounted)",
                            alias_ref.partition(":")[0], len(touched))
        self._remember(alias_ref, ref)

    def _remember(self, alias_ref: str, ref: str) -> None:
        if len(self._primary) >= CACHE_LIMIT:
            self._primary.clear()
        self._primary[alias_ref] = ref
