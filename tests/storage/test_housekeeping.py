"""Housekeeping removes what it says (old event ids, old delivered messages, delivered chart images) and
nothing else."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import select

from bot.context import Core
from bot.housekeeping import run_housekeeping
from storage import inbound, outbox
from storage.models import InboundEvent, OutboxMessage
from tests.factories import FixedClock

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()


async def add_message(core: Core, *, state: str, sent_days_ago: float | None, image: bool, user: str) -> None:
    now = core.now()
    async with core.db.transaction() as session:
        await outbox.enqueue(session, platform="slack", kind="direct", user_ref=user, now=now,
                             payload={"text": "digest", "image_png": PNG if image else None})
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.user_ref == user))).scalar_one()
        row.state = state
        row.sent_at = None if sent_days_ago is None else now - timedelta(days=sent_days_ago)


async def test_housekeeping_removes_what_it_says_and_nothing_else(core: Core, clock: FixedClock) -> None:
    async with core.db.transaction() as session:
        await inbound.claim_event(session, key="slack:old", now=clock.now - timedelta(days=8))
        await inbound.claim_event(session, key="slack:recent", now=clock.now - timedelta(days=6))
    await add_message(core, state="sent", sent_days_ago=31, image=True, user="slack:UOLD")
    await add_message(core, state="sent", sent_days_ago=2, image=True, user="slack:URECENT")
    await add_message(core, state="pending", sent_days_ago=None, image=True, user="slack:UWAITING")
    await add_message(core, state="failed", sent_days_ago=None, image=False, user="slack:UFAILED")

    report = await run_housekeeping(core)

    async with core.db.transaction() as session:
        keys = set((await session.execute(select(InboundEvent.key))).scalars())
        rows = {row.user_ref: row for row in (await session.execute(select(OutboxMessage))).scalars()}
    assert keys == {"slack:recent"}
    assert set(rows) == {"slack:URECENT", "slack:UWAITING", "slack:UFAILED"}
    assert rows["slack:URECENT"].payload == {"text": "digest", "image_png": None}  # delivered: image gone
    assert rows["slack:UWAITING"].payload["image_png"] == PNG  # type: ignore[index] - still to be sent
    assert (report.inbound_ids, report.delivered_messages, report.images) == (1, 1, 2)
    assert (await run_housekeeping(core)).summary().startswith("Removed 0 inbound event ids")  # idempotent
