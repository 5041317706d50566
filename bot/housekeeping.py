"""Housekeeping, always on: inbound event ids kept 7 days (well past any platform retry), delivered messages
30 days, and no delivered message keeps its chart image."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.context import Core
from bot.retention import apply_retention
from storage import housekeeping, inbound
from storage.database import DatabaseUnavailable

logger = logging.getLogger(__name__)

INBOUND_KEPT = timedelta(days=7)
DELIVERED_KEPT = timedelta(days=30)
EVERY = timedelta(hours=6)


@dataclass(frozen=True)
class HousekeepingReport:
    inbound_ids: int
    delivered_messages: int
    images: int
    anonymised_people: int = 0
    pending_ideas: int = 0

    def summary(self) -> str:
        retention = (f" Retention: anonymised {self.anonymised_people} people." if self.anonymised_people else "")
        retention += (f" Dropped {self.pending_ideas} texts held for an answer (\"Post as idea\", similar ideas)."
                      if self.pending_ideas else "")
        return (f"Removed {self.inbound_ids} inbound event ids older than {INBOUND_KEPT.days} days, "
                f"{self.delivered_messages} delivered messages older than {DELIVERED_KEPT.days} days, and the "
                f"chart images of {self.images} delivered messages.{retention}")


async def run_housekeeping(core: Core) -> HousekeepingReport:
    now = core.now()
    async with core.db.transaction() as session:
        images = await housekeeping.strip_delivered_images(session)
        delivered = await housekeeping.purge_delivered(session, sent_before=now - DELIVERED_KEPT)
        ids = await inbound.forget_events_before(session, cutoff=now - INBOUND_KEPT)
        pending = await housekeeping.purge_pending_ideas(session, created_before=now - INBOUND_KEPT)
        pending += await housekeeping.purge_drafts(session, created_before=now - INBOUND_KEPT)
    return HousekeepingReport(ids, delivered, images, await apply_retention(core), pending)


async def keep_house(core: Core) -> None:
    """Runs housekeeping now and every few hours; idempotent, so replicas may overlap harmlessly."""
    while True:
        try:
            logger.info("housekeeping: %s", (await run_housekeeping(core)).summary())
        except DatabaseUnavailable:
            logger.warning("housekeeping: database unavailable; trying again later")
        await asyncio.sleep(EVERY.total_seconds())
