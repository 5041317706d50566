"""A campaign with every scheduled job configured, and helpers to read what the outbox holds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.config import AppConfig
from bot.context import Core
from bot.message import Message
from storage.models import OutboxMessage
from tests.factories import make_config

DIGESTS = {
    "leaders": {"cron": "0 16 * * fri"},
    "community": {"cron": "0 12 * * fri", "channels": ["slack:CALL"]},
    "backers": {"cron": "0 15 * * fri"},
    "unanswered": {"cron": "0 9 * * mon-fri"},
}


@pytest.fixture
def config() -> AppConfig:
    return make_config(digests=DIGESTS, scheduler={"grace_seconds": 3600})


async def queued(core: Core, **where: Any) -> list[OutboxMessage]:
    async with core.db.transaction() as session:
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        for column, value in where.items():
            statement = statement.where(getattr(OutboxMessage, column) == value)
        return list((await session.execute(statement)).scalars())


def message_of(row: OutboxMessage) -> Message:
    return Message.from_json(row.payload or {})
