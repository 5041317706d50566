"""Teams names come from each inbound activity's `from.name`: cards show it (escaped), follow a rename, and never
name an anonymous author; erasure deletes the name and subject access includes it."""

from __future__ import annotations

import json

from bot.app import RUNTIME
from bot.erasure import forget_person
from bot.exports import idea_rows
from bot.subject_access import subject_access_document
from storage import display_names
from tests.teams.helpers import drain, payload, post_activity

DANA = {"id": "29:dana-bf-id", "name": "Dana *Star* <b>", "aadObjectId": "aad-dana"}


def by(activity: dict) -> str:
    card = activity["attachments"][0]["content"]
    (fact_set,) = [block for block in card["body"] if block["type"] == "FactSet"]
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}["By"]


def idea(connector_url: str, text: str, activity_id: str, sender: dict) -> dict:
    return payload("activity_message_channel_mention", connector_url, id=activity_id,
                   text=f"<at>Crowdbot</at> idea {text}", **{"from": sender})


async def test_cards_show_from_name_escaped_and_follow_a_rename(teams, connector):
    assert await post_activity(teams, idea(connector.url, "Rota swaps in the app", "m-1", DANA)) == 200
    await drain(teams)
    first = connector.sent[-1]
    assert by(first.activity) == "Dana \\*Star\\* \\<b\\>"  # markdown and tags escaped as user text

    renamed = {**DANA, "name": "Dana Renamed"}
    assert await post_activity(teams, idea(connector.url, "Shift notes in one place", "m-2", renamed)) == 200
    await drain(teams)
    assert by(connector.sent[-1].activity) == "Dana Renamed"
    updates = [u for u in connector.updated if u.activity_id == first.returned_id]
    assert updates and by(updates[-1].activity) == "Dana Renamed"  # the earlier card shows the new name too

    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        rows = await idea_rows(core, session)
    assert {row["author_name"] for row in rows} == {"Dana Renamed"}


async def test_anonymous_cards_name_nobody_and_erasure_deletes_the_name(teams, connector):
    quinn = {"id": "29:quinn-bf-id", "name": "Quinn Quiet", "aadObjectId": "aad-quinn"}
    # A channel message first, so the bot can reach the channel the anonymous idea is posted to.
    assert await post_activity(teams, idea(connector.url, "Rota swaps in the app", "m-0", DANA)) == 200
    personal = payload("activity_message_personal", connector.url, id="p-1", text="anon Free parking at night",
                       **{"from": quinn})
    assert await post_activity(teams, personal) == 200
    await drain(teams)
    # Everything others can read: the channel posts (the private reply to Quinn may address Quinn).
    in_channels = [s.activity for s in connector.sent + connector.updated if s.conversation.startswith("19:")]
    assert "Free parking at night" in json.dumps(in_channels)
    assert "Quinn" not in json.dumps(in_channels) and "aad-quinn" not in json.dumps(in_channels)
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        rows = await idea_rows(core, session)
        assert [(row["author"], row["author_name"]) for row in rows] == [
            ("teams:aad-dana", DANA["name"]), ("", "")]
        document = await subject_access_document(session, ref="teams:aad-quinn", now=core.now())
    assert document["display_name"]["name"] == "Quinn Quiet"  # type: ignore[index]

    async with core.db.transaction() as session:
        await forget_person(core, session, "teams:aad-quinn", requested_by="cli")
    async with core.db.transaction() as session:
        assert await display_names.names_of(session, refs={"teams:aad-quinn"}) == {}
        document = await subject_access_document(session, ref="teams:aad-quinn", now=core.now())
    assert document["display_name"] is None and document["participant"] is None
