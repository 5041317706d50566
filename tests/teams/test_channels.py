"""Teams channels without a first message: installing the app in a team teaches the bot every channel of the
team (the Teams channel list), channel events keep it up to date, and a post for a channel it cannot reach yet
waits for a reference instead of being given up."""

from __future__ import annotations

from sqlalchemy import select

from bot.announcements import post_prompt
from bot.app import RUNTIME
from storage.models import OutboxMessage
from tests.teams.helpers import BREAKS, drain, payload, post_activity

TEAM = "19:team-general@thread.tacv2"  # a team's id is its General channel's conversation id


def installation(service_url: str) -> dict:  # type: ignore[type-arg]
    """The bot added to the team, as Teams announces it in General (no one has written anywhere)."""
    body = payload("activity_conversation_update_bot_added", service_url)
    body["conversation"]["id"] = TEAM
    body["channelData"]["team"]["id"] = body["channelData"]["channel"]["id"] = TEAM
    return body


async def prompt_breaks(client) -> None:  # type: ignore[no-untyped-def]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        await post_prompt(core, session, core.config.challenge("breaks"), 0)
    core.wake_outbox()


async def rows(client) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    async with client.app[RUNTIME].core.db.transaction() as session:
        return list((await session.execute(select(OutboxMessage))).scalars())


async def test_a_configured_channel_other_than_general_gets_its_prompt_after_installation(teams, connector):
    connector.team_channels[TEAM] = [{"id": TEAM, "name": None}, {"id": BREAKS, "name": "Better breaks"}]
    assert await post_activity(teams, installation(connector.url)) == 200

    await prompt_breaks(teams)
    await drain(teams)

    (prompt,) = [sent for sent in connector.sent if sent.conversation == BREAKS]
    assert "B1?" in str(prompt.activity["attachments"][0]["content"])


async def test_a_prompt_waits_for_its_channel_and_goes_out_when_the_team_installs_the_app(teams, connector):
    await prompt_breaks(teams)
    await drain_pending(teams)
    (row,) = await rows(teams)
    assert row.state == "pending" and "no Teams conversation reference" in (row.last_error or "")
    assert connector.sent == []

    connector.team_channels[TEAM] = [{"id": TEAM, "name": None}, {"id": BREAKS, "name": "Better breaks"}]
    assert await post_activity(teams, installation(connector.url)) == 200
    await drain(teams)  # the installation woke the waiting prompt: no hour-long wait

    assert [sent.conversation for sent in connector.sent] == [BREAKS]
    assert [row.state for row in await rows(teams)] == ["sent"]


async def test_a_channel_created_later_is_learnt_from_its_event(teams, connector):
    created = payload("activity_conversation_update_bot_added", connector.url, membersAdded=[])
    created["channelData"] = {"tenant": {"id": "tenant-1"}, "team": {"id": TEAM, "name": "Care team"},
                              "channel": {"id": BREAKS, "name": "Better breaks"}, "eventType": "channelCreated"}
    assert await post_activity(teams, created) == 200

    await prompt_breaks(teams)
    await drain(teams)
    assert [sent.conversation for sent in connector.sent] == [BREAKS]


async def test_installation_still_works_when_the_channel_list_cannot_be_read(teams, connector):
    # No channel list for this team: the connector answers 404; General is still learnt from the activity.
    assert await post_activity(teams, installation(connector.url)) == 200
    await prompt_breaks(teams)
    await drain_pending(teams)
    assert connector.sent == []
    # Kept, not given up: waiting for a reference ("sending" while the dispatcher is looking at it again).
    assert [row.state for row in await rows(teams)] in (["pending"], ["sending"])


async def drain_pending(client) -> None:  # type: ignore[no-untyped-def]
    """One delivery round (the waiting message stays pending, so drain() would wait for it)."""
    runtime = client.app[RUNTIME]
    runtime.clock.advance(seconds=5)
    await runtime.dispatcher.deliver_due()


async def test_doctor_says_which_channels_and_people_the_bot_can_reach(teams, connector):
    from bot.doctor import diagnose

    connector.team_channels[TEAM] = [{"id": TEAM, "name": None}, {"id": BREAKS, "name": "Better breaks"}]
    await post_activity(teams, installation(connector.url))
    await prompt_breaks(teams)  # reaches BREAKS; nothing has been queued for ROTAS
    await drain(teams)
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        report = {reach.ref: reach for reach in await diagnose(core.config, core.platforms, session)}

    assert report[f"teams:{BREAKS}"].reachable == "yes"
    rotas = report["teams:19:rotas@thread.tacv2"]
    assert rotas.reachable == "no" and "add Crowdbot to the team that has this channel" in rotas.detail
    leader = report["teams:aad-leader"]
    assert leader.role == "leader" and leader.reachable == "no" and "send it one message" in leader.detail
