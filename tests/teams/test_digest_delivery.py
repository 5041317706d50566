"""End to end: a manager's `idea digest` with twenty long decisions reaches a leader's Teams chat through the
fake Bot Connector, every entry in it, the chart beside the card, and the activity under Microsoft's 80 KB."""

from __future__ import annotations

from typing import Any

from adapters.teams.render import CARD_CONTENT_TYPE, IMAGE_CONTENT_TYPE, RECOMMENDED_BYTES, size
from bot.app import RUNTIME, create_app
from tests import largest
from tests.factories import FixedClock, make_config
from tests.teams.fake_connector import FakeConnector
from tests.teams.helpers import CM_AAD, LEADER_AAD, ROTAS, payload, post_activity


def campaign(database_url: str) -> Any:
    return make_config(
        storage={"url": database_url},
        campaign=largest.largest_config().campaign.model_dump(),
        roles={"community_managers": [f"teams:{CM_AAD}"], "leaders": [f"teams:{LEADER_AAD}"]},
        challenges=[{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": [f"teams:{ROTAS}"]}],
        playground={"enabled": False},
        teams={"enabled": True},  # local development: no app id, so Teams is switched on by name
    )


def from_person(connector: FakeConnector, aad: str, text: str) -> dict[str, Any]:
    """A 1:1 message to the bot from the person with this AAD object id."""
    return payload("activity_message_personal", connector.url, text=text, id=f"{aad}-{text}",
                   **{"from": {"id": f"29:{aad}-bf-id", "name": aad, "aadObjectId": aad}},
                   conversation={"id": f"a:1on1-{aad}", "conversationType": "personal", "tenantId": "tenant-1"})


async def test_a_leaders_digest_with_twenty_decisions_reaches_teams_under_80_kb(
    aiohttp_client: Any, database_url: str, connector: FakeConnector
) -> None:
    clock = FixedClock()
    client = await aiohttp_client(create_app(campaign(database_url), clock=clock))
    runtime = client.app[RUNTIME]
    assert await post_activity(client, from_person(connector, LEADER_AAD, "idea help")) == 200  # the leader's chat
    await largest.decide_many(runtime.bot, clock, manager=f"teams:{CM_AAD}", platform="teams", channel=ROTAS)

    assert await post_activity(client, from_person(connector, CM_AAD, "idea digest")) == 200

    # The staff in this campaign never messaged the bot, so their messages wait for a way to reach them: wait
    # for the leader's digest itself rather than for the whole outbox to drain.
    def leaders_digests() -> list[Any]:
        return [sent for sent in connector.sent if sent.conversation == f"a:1on1-{LEADER_AAD}"
                and "You said, we did" in str(sent.activity)]

    await connector.wait_for(leaders_digests, within=20.0)
    (digest,) = leaders_digests()
    activity = digest.activity
    assert size(activity) <= RECOMMENDED_BYTES, size(activity)
    card = next(a["content"] for a in activity["attachments"] if a["contentType"] == CARD_CONTENT_TYPE)
    lines = [block["text"] for block in card["body"] if block["type"] == "TextBlock"]
    assert sum("/ We did:" in line for line in lines) == 20  # each decision its own TextBlock, none left out
    assert any(line.startswith("...and 5 more decisions") for line in lines)
    (chart,) = [a for a in activity["attachments"] if a["contentType"] == IMAGE_CONTENT_TYPE]
    assert chart["contentUrl"].startswith("data:image/png;base64,")
    assert "data:image" not in str(card)
    print(f"teams digest activity: {size(activity)} bytes UTF-16 without the image, "
          f"{size(activity, with_images=True)} with it")
