"""A campaign with fika on, and helpers to read what fika stored and queued."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.config import AppConfig
from bot.context import Core
from bot.message import Message
from storage.fika_models import FikaMember, FikaRound
from storage.models import OutboxMessage
from tests.factories import make_config
from tests.slack.conftest import fake_slack  # noqa: F401  (the fake Slack, for test_slack.py)
from tests.teams.conftest import connector  # noqa: F401  (the fake Bot Connector, for test_teams.py)

FIKA = {"cron": "0 9 * * mon", "group_size": 2, "challenge": "rotas", "follow_up_after_days": 4}


def fika_config(**overrides: Any) -> AppConfig:
    extra = overrides.pop("fika", {})
    return make_config(fika={**FIKA, **extra}, **overrides)


@pytest.fixture
def config() -> AppConfig:
    return fika_config()


async def queued(core: Core, **where: Any) -> list[OutboxMessage]:
    async with core.db.transaction() as session:
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        for column, value in where.items():
            statement = statement.where(getattr(OutboxMessage, column) == value)
        return list((await session.execute(statement)).scalars())


def message_of(row: OutboxMessage) -> Message:
    return Message.from_json(row.payload or {})


async def rounds(core: Core) -> list[FikaRound]:
    async with core.db.transaction() as session:
        return list((await session.execute(select(FikaRound).order_by(FikaRound.number))).scalars())


async def groups_of(core: Core, number: int) -> list[set[str]]:
    async with core.db.transaction() as session:
        rows = (await session.execute(select(FikaMember.group_id, FikaMember.person_ref).join(
            FikaRound, FikaRound.id == FikaMember.round_id).where(FikaRound.number == number))).all()
    groups: dict[int, set[str]] = {}
    for group_id, ref in rows:
        groups.setdefault(group_id, set()).add(ref)
    return list(groups.values())
