"""Proactive delivery through stored references, and connector failures mapped for the outbox's retries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from adapters.teams import TeamsAdapter
from adapters.teams.references import channel_key, channel_reference
from bot.app import RUNTIME
from bot.config import TeamsConfig
from bot.message import Destination, Message
from bot.messenger import DeliveryError
from bot.references import StoredReferences
from bot.services.delivery import queue_direct
from storage.conversations import save_reference
from storage.database import Database
from storage.models import OutboxMessage
from tests.factories import FixedClock
from tests.teams.helpers import LEADER_AAD, ROTAS, drain, payload, person, post_activity


def messenger(client):  # type: ignore[no-untyped-def]
    (adapter,) = client.app[RUNTIME].adapters
    return adapter.messenger


async def queue_direct_to(client, ref: str, text: str) -> None:  # type: ignore[no-untyped-def]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        assert await queue_direct(core, session, ref, Message(text=text))
    await drain(client)


async def test_direct_message_reaches_a_leader_seen_only_through_installation(teams, connector):
    assert await post_activity(teams, payload("activity_installation_update_personal", connector.url)) == 200
    await queue_direct_to(teams, f"teams:{LEADER_AAD}", "Your weekly digest")
    (sent,) = connector.sent
    assert sent.conversation == "a:1on1-leader"
    assert "Your weekly digest" in str(sent.activity["attachments"])


async def test_direct_message_to_someone_seen_in_a_channel_creates_the_chat(teams, connector):
    chatter = payload("activity_message_channel_mention", connector.url, text="lunch?", entities=[],
                      conversation={"id": ROTAS, "conversationType": "channel", "tenantId": "tenant-1"},
                      **{"from": person("bob")})
    assert await post_activity(teams, chatter) == 200  # not addressed to the bot: only bob's reference is kept
    await queue_direct_to(teams, "teams:aad-bob", "Your idea was taken forward")
    (created,) = connector.created
    assert created["members"] == [{"id": "29:bob-bf-id"}] and created["isGroup"] is False
    assert created["tenantID"] == "tenant-1" and created["channelData"] == {"tenant": {"id": "tenant-1"}}
    (direct,) = [sent for sent in connector.sent if sent.conversation.startswith("a:")]
    assert direct.conversation == "a:1on1-29:bob-bf-id"


async def test_direct_message_to_someone_never_seen_waits_for_them_with_a_clear_reason(teams, connector):
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        assert await queue_direct(core, session, "teams:aad-stranger", Message(text="hello"))
    teams.app[RUNTIME].clock.advance(seconds=5)
    await teams.app[RUNTIME].dispatcher.deliver_due()
    async with core.db.transaction() as session:
        (row,) = (await session.execute(select(OutboxMessage))).scalars()
    assert row.state == "pending" and "no Teams conversation reference" in (row.last_error or "")
    assert connector.sent == []

    # They message the bot once: the waiting message goes out at once, in their 1:1 chat.
    hello = payload("activity_message_personal", connector.url, **{"from": {**person("stranger")}})
    assert await post_activity(teams, hello) == 200
    await drain(teams)
    assert any("hello" in str(sent.activity.get("attachments")) for sent in connector.sent)


async def _known_channel(db: Database, connector) -> Destination:  # type: ignore[no-untyped-def]
    """The rotas channel with its reference stored, as the adapter stores it when it sees the channel."""
    activity = payload("activity_message_channel_mention", connector.url)
    async with db.transaction() as session:
        await save_reference(session, key=channel_key(ROTAS), platform="teams",
                             reference=channel_reference(activity, ROTAS), now=FixedClock()())
    return Destination("teams", ROTAS)


async def test_posts_in_threads_and_updates_in_place(teams, connector):
    destination = await _known_channel(teams.app[RUNTIME].db, connector)
    root = await messenger(teams).send(destination, Message(text="root"))
    reply_id = await messenger(teams).send(Destination("teams", ROTAS, thread=root), Message(text="reply"))
    await messenger(teams).update(destination, root, Message(text="edited"))
    assert [s.conversation for s in connector.sent] == [ROTAS, f"{ROTAS};messageid={root}"]
    assert reply_id == connector.sent[1].returned_id
    (update,) = connector.updated
    assert update.activity_id == root and "edited" in str(update.activity["attachments"])


@pytest.mark.parametrize(("status", "headers", "retry_after", "permanent"), [
    (429, {"Retry-After": "7"}, 7.0, False),
    (429, {}, None, False),
    (403, {}, None, True),
    (404, {}, None, True),
    (500, {}, None, False),
    (503, {}, None, False),
])
async def test_connector_failures_become_delivery_errors(teams, connector, status, headers, retry_after, permanent):
    destination = await _known_channel(teams.app[RUNTIME].db, connector)
    connector.fail_next(status, headers)
    with pytest.raises(DeliveryError) as caught:
        await messenger(teams).send(destination, Message(text="hi"))
    assert caught.value.retry_after == retry_after
    assert caught.value.permanent is permanent
    assert str(status) in str(caught.value)
    assert len(connector.authorizations) == 1  # one attempt: the outbox owns retries


async def test_unreachable_connector_is_a_transient_failure(unused_tcp_port, db):
    destination = await _known_channel(db, SimpleNamespace(url=f"http://127.0.0.1:{unused_tcp_port}/"))
    adapter = TeamsAdapter(TeamsConfig(), dispatch=None, vote_emoji=[],  # type: ignore[arg-type]
                           references=StoredReferences(lambda: db))
    with pytest.raises(DeliveryError) as caught:
        await adapter.messenger.send(destination, Message(text="hi"))
    assert caught.value.permanent is False and caught.value.retry_after is None


async def test_the_messenger_finds_references_itself_and_a_channel_without_one_waits(teams, connector):
    """The outbox hands over a neutral destination; the Teams messenger looks the reference up in its store."""
    with pytest.raises(DeliveryError) as caught:
        await messenger(teams).send(Destination("teams", ROTAS), Message(text="hi"))
    assert caught.value.unreachable and not caught.value.permanent and connector.sent == []

    await _known_channel(teams.app[RUNTIME].db, connector)
    await messenger(teams).send(Destination("teams", ROTAS), Message(text="hi"))
    assert [sent.conversation for sent in connector.sent] == [ROTAS]
