"""A challenge's letter weights are learnt before its first lookup and relearnt beside the lookups, never inside
one: a lookup runs in a transaction (on SQLite holding the write lock), and a fit of 500 ideas took 90-180 ms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.context import Core
from bot.similarity.models import CharacterModels
from storage import ideas
from storage.database import Database
from tests.core.test_similar_letters import ROTA_IDEAS, seed

RECENT_TEXTS = "ORDER BY id DESC LIMIT"  # storage.similarity.recent_texts: what a model is learnt from


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL this process sends while the block runs."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    for engine in db.write_engines:
        event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in db.write_engines:
            event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_a_warmed_challenge_is_looked_up_without_learning(core: Core) -> None:
    await seed(core, ROTA_IDEAS)
    models = CharacterModels()
    await models.warm(core.db, ["rotas"])
    with statements(core.db) as sent:
        async with core.db.transaction() as session:
            model = await models.model(session, "rotas", len(ROTA_IDEAS))
    assert model is not None and "rota" in model.vocabulary_
    assert not [statement for statement in sent if RECENT_TEXTS in statement]


async def test_a_stale_model_keeps_serving_while_its_successor_is_learnt_beside_the_lookup(core: Core) -> None:
    await seed(core, ROTA_IDEAS)
    models = CharacterModels()
    await models.warm(core.db, ["rotas"])
    async with core.db.transaction() as session:
        old = await models.model(session, "rotas", len(ROTA_IDEAS))
        for number in range(len(ROTA_IDEAS) + 1, len(ROTA_IDEAS) + 4):  # far more than DRIFT of 8 ideas
            await ideas.create_idea(session, number=number, challenge_key="rotas", text=f"Zebra crossing {number}",
                                    author_ref="slack:U9", anonymous=False, now=core.now())
    grown = len(ROTA_IDEAS) + 3

    async with core.db.transaction() as session:
        served = await models.model(session, "rotas", grown)
        again = await models.model(session, "rotas", grown)  # one relearning at a time
    assert served is old and again is old and "zebr" not in old.vocabulary_  # type: ignore[union-attr]

    await models.settled()
    async with core.db.transaction() as session:
        relearnt = await models.model(session, "rotas", grown)
    assert relearnt is not old and "zebr" in relearnt.vocabulary_  # type: ignore[union-attr]

