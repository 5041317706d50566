"""Persist, then acknowledge: an activity the database did not store gets 503, so the Bot Framework delivers it
again; the redelivery counts once. Nothing is answered for an activity that was not stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.app import RUNTIME, create_app
from bot.exports import idea_rows
from tests.conftest import POSTGRES_URL
from tests.factories import FixedClock
from tests.slack.test_database_outage import CuttableProxy
from tests.teams.fake_connector import FakeConnector
from tests.teams.helpers import ROTAS, drain, in_thread, payload, person, post_activity, teams_config

BOB = {"from": person("bob")}


async def totals(client: Any) -> list[tuple[int, int]]:
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        return [(row["votes"], row["comments"]) for row in await idea_rows(core, session)]


@pytest.fixture
async def proxied(aiohttp_client: Any, database_url: str, connector: FakeConnector
                  ) -> AsyncIterator[tuple[Any, CuttableProxy]]:
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    client = await aiohttp_client(create_app(teams_config(through_proxy), clock=FixedClock()))
    yield client, proxy
    await proxy.cut()


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_during_an_outage_reactions_replies_and_commands_get_503_and_count_once_later(
        proxied: tuple[Any, CuttableProxy], connector: FakeConnector) -> None:
    teams, proxy = proxied
    await post_activity(teams, payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    root = connector.sent[-1].returned_id or ""
    reaction = in_thread(payload("activity_message_reaction_like", connector.url, id="f:bob-like", **BOB), root)
    reply = in_thread(payload("activity_message_thread_reply", connector.url, **BOB), root)
    command = payload("activity_message_personal", connector.url, text="idea Quiet rooms on nights", **BOB)
    sent_before = len(connector.sent)

    await proxy.cut()
    during = [await post_activity(teams, body) for body in (reaction, reply, command)]
    await proxy.start()
    retried = [await post_activity(teams, body) for body in (reaction, reply, command)]
    replayed = [await post_activity(teams, body) for body in (reaction, reply, command)]

    assert during == [503, 503, 503]  # never 200 for what was not stored
    assert retried == [200, 200, 200] and replayed == [200, 200, 200]
    await drain(teams)
    assert sorted(await totals(teams)) == [(0, 0), (1, 1)]
    # The outage itself was not answered; the stored command was, once.
    answers = [s for s in connector.sent[sent_before:] if s.conversation.startswith("a:")]
    assert len(answers) == 1 and "#2" in str(answers[0].activity)


async def test_a_vote_on_a_post_out_but_not_yet_recorded_gets_503_then_counts(teams, connector) -> None:
    release = connector.hold(ROTAS)  # Teams has the idea post but has not answered with its id yet
    assert await post_activity(teams, payload("activity_message_channel_mention", connector.url)) == 200
    await connector.wait_for(lambda: ROTAS in connector.holding)
    root = connector.holding[ROTAS]
    reaction = in_thread(payload("activity_message_reaction_like", connector.url, id="f:early", **BOB), root)

    early = await post_activity(teams, reaction)
    release.set()
    await connector.wait_for(lambda: any(s.conversation == ROTAS for s in connector.sent))
    await drain(teams)
    redelivered = await post_activity(teams, reaction)
    await drain(teams)

    assert (early, redelivered) == (503, 200)
    assert await totals(teams) == [(1, 0)]
