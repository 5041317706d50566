"""Fika over the Teams adapter's real /api/messages path and the fake Bot Connector: a 1:1 message to each
member naming the others (a bot cannot open a group chat), with a chat link, and the follow-up card."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from bot.fika.people import import_people, parse_people
from bot.fika.report import fika_report
from storage.fika_models import FikaIdea, FikaMember, FikaPerson
from tests.factories import FixedClock
from tests.fika.conftest import fika_config
from tests.teams.fake_connector import FakeConnector
from tests.teams.helpers import CM_AAD, ROTAS, drain, payload, person, post_activity

STARTED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday, after the 09:00 round's grace period
NAMES = ("alice", "bob", "chen", "dana")
ACTIVITY_IDS = itertools.count(1)  # each activity its own id: the same id twice is a retry and counts once


async def client_for(aiohttp_client: Any, database_url: str, connector: FakeConnector) -> TestClient:
    """The bot, added to the team first: the round's announcement goes to its channel (else it would wait)."""
    config = fika_config(
        storage={"url": database_url}, roles={"community_managers": [f"teams:{CM_AAD}"]},
        challenges=[{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": [f"teams:{ROTAS}"]}],
        playground={"enabled": False}, teams={"enabled": True})
    client = await aiohttp_client(create_app(config, clock=FixedClock(STARTED)))
    assert await post_activity(client, payload("activity_conversation_update_bot_added", connector.url)) == 200
    return client


def personal(name: str, service_url: str, **overrides: Any) -> dict[str, Any]:
    """A 1:1 message from `name`, in their own personal conversation."""
    return payload("activity_message_personal", service_url, **{
        "from": person(name), "id": f"msg-{name}-{next(ACTIVITY_IDS)}",
        "conversation": {"id": f"a:1on1-{name}", "conversationType": "personal", "tenantId": "tenant-1"},
        **overrides})


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    return activity["attachments"][0]["content"]


def texts(activity: dict[str, Any]) -> str:
    card = card_of(activity)
    facts = [f"{f['title']}: {f['value']}" for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]]
    return "\n".join([str(b.get("text", "")) for b in card["body"]] + facts)


async def test_each_member_gets_a_1to1_naming_the_others_and_answers_the_follow_up(
        aiohttp_client: Any, database_url: str, connector: FakeConnector) -> None:
    teams = await client_for(aiohttp_client, database_url, connector)
    core = teams.app[RUNTIME].core
    csv = "person,name,team,email\n" + "".join(
        f"teams:aad-{n},{n.title()} Smith,team-{i % 2},{n}_s@example.org\n" for i, n in enumerate(NAMES))
    await import_people(core, parse_people(csv))
    for name in NAMES:
        assert await post_activity(teams, personal(name, connector.url, text="idea fika on")) == 200
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    assert await post_activity(teams, personal("cm", connector.url, text="idea fika round", **{"from": cm})) == 200
    assert "Fika round 1: 4 people in 2 groups" in texts(connector.sent[-1].activity)
    before = len(connector.sent)
    await drain(teams)
    intros = [r for r in connector.sent[before:] if texts(r.activity).startswith("Fika: meet")]
    assert sorted(r.conversation for r in intros) == sorted(f"a:1on1-{n}" for n in NAMES)
    for intro in intros:
        me = intro.conversation.removeprefix("a:1on1-")
        text = texts(intro.activity)
        assert f"{me.title()} Smith" not in text.splitlines()[0]  # names the others, not the reader
        assert "Q1?" in text
        link = next(line for line in text.splitlines() if line.startswith("Start a chat:"))
        assert "https://teams.microsoft.com/l/chat/0/0?users=" in link and f"{me}%5Fs@" not in link
        (action,) = card_of(intro.activity)["actions"]
        assert action["title"] == "Share an idea from our chat" and action["data"]["crowdbot"] == "fika_idea"
    # The two members of a group name each other.
    partner_of = {r.conversation.removeprefix("a:1on1-"): texts(r.activity).splitlines()[0] for r in intros}
    for name, title in partner_of.items():
        partner = next(n for n in NAMES if n != name and f"{n.title()} Smith" in title)
        assert f"{name.title()} Smith" in partner_of[partner]

    await teams.app[RUNTIME].scheduler.fire("fika:follow-up", STARTED + timedelta(days=4))
    before = len(connector.sent)
    await drain(teams)
    asks = [r for r in connector.sent[before:] if texts(r.activity).startswith("Did you meet?")]
    assert len(asks) == 4
    ask = next(r for r in asks if r.conversation == "a:1on1-alice")
    buttons = {a["title"]: a["data"] for a in card_of(ask.activity)["actions"]}
    assert list(buttons) == ["Yes", "Not yet", "We can't"]
    press = personal("alice", connector.url, text=None, value=buttons["Not yet"], replyToId=ask.returned_id)
    assert await post_activity(teams, press) == 200
    assert "Thanks, noted: not yet." in texts(connector.sent[-1].activity)
    async with core.db.transaction() as session:
        outcomes = dict((await session.execute(select(FikaMember.person_ref, FikaMember.outcome))).all())
    assert outcomes["teams:aad-alice"] == "not_yet" and outcomes["teams:aad-bob"] is None

    # "Share an idea from our chat" answers with the submission card; the idea it sends counts as from fika.
    intro = next(r for r in intros if r.conversation == "a:1on1-alice")
    (share,) = card_of(intro.activity)["actions"]
    press = personal("alice", connector.url, text=None, value=share["data"], replyToId=intro.returned_id)
    assert await post_activity(teams, press) == 200
    form = card_of(connector.sent[-1].activity)
    (submit,) = form["actions"]
    assert submit["data"] == {"crowdbot": "submit_idea", "source": f"fika:{share['data']['value']}"}
    sent = personal("alice", connector.url, text=None, replyToId=connector.sent[-1].returned_id,
                    value={**submit["data"], "challenge": "rotas", "idea": "Coffee rota swaps", "anonymous": "false"})
    assert await post_activity(teams, sent) == 200
    async with core.db.transaction() as session:
        linked = (await session.execute(select(FikaIdea.group_id))).scalars().all()
    assert linked == [int(share["data"]["value"])]

    # The trial's comparison, from what happened over Teams: the two paired people against everyone else.
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    assert await post_activity(teams, personal("cm", connector.url, text="idea Rota swaps app",
                                               **{"from": cm})) == 200
    async with core.db.transaction() as session:
        report = (await fika_report(session)).text
    assert "Groups that met: 0 of 2 (0%)" in report and "0 met, 1 not yet, 0 can't (1 answers)" in report
    assert "Ideas from fika conversations: 1" in report
    assert "Took part in fika: 4 people, 25% took part; per person 0.25 ideas" in report
    assert "Everyone else the bot knows: 1 people, 100% took part; per person 1.00 ideas" in report


async def test_without_sign_in_addresses_the_1to1_says_clearly_how_to_find_the_others(
        aiohttp_client: Any, database_url: str, connector: FakeConnector) -> None:
    teams = await client_for(aiohttp_client, database_url, connector)
    await import_people(teams.app[RUNTIME].core, parse_people(
        "person,name,email\nteams:aad-alice,Alice Smith,alice@example.org\nteams:aad-bob,Bob Jones,\n"))
    for name in ("alice", "bob"):
        assert await post_activity(teams, personal(name, connector.url, text="idea fika on")) == 200
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    assert await post_activity(teams, personal("cm", connector.url, text="idea fika round", **{"from": cm})) == 200
    before = len(connector.sent)
    await drain(teams)
    intros = {r.conversation: texts(r.activity) for r in connector.sent[before:]
              if texts(r.activity).startswith("Fika: meet")}
    # Alice's partner has no address: no link, and the message says why and what to do instead.
    chat = next(line for line in intros["a:1on1-alice"].splitlines() if line.startswith("Start a chat:"))
    assert "search Teams for Bob Jones" in chat and "https://" not in chat
    # Bob's partner has one: the link names her by it, and never Bob himself (Teams adds whoever opens it).
    link = next(line for line in intros["a:1on1-bob"].splitlines() if line.startswith("Start a chat:"))
    assert "https://teams.microsoft.com/l/chat/0/0?users=alice@example.org&topicName=Fika" in link


async def test_the_silent_are_asked_to_stay_in_and_each_answer_is_kept(
        aiohttp_client: Any, database_url: str, connector: FakeConnector) -> None:
    teams = await client_for(aiohttp_client, database_url, connector)
    core = teams.app[RUNTIME].core
    for name in ("alice", "bob"):
        assert await post_activity(teams, personal(name, connector.url, text="idea fika on")) == 200
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    for _ in range(4):  # at the fourth round's follow-up, the three before it went unanswered
        assert await post_activity(teams, personal("cm", connector.url, text="idea fika round",
                                                   **{"from": cm})) == 200
    await teams.app[RUNTIME].scheduler.fire("fika:follow-up", STARTED + timedelta(days=4))
    before = len(connector.sent)
    await drain(teams)
    asks = {r.conversation: r for r in connector.sent[before:] if texts(r.activity).startswith("Stay in fika?")}
    assert sorted(asks) == ["a:1on1-alice", "a:1on1-bob"]
    for name, label, reply in (("alice", "Keep me in", "Great, you stay in fika."),
                               ("bob", "Take a break", "You're out of fika for now")):
        ask = asks[f"a:1on1-{name}"]
        buttons = {a["title"]: a["data"] for a in card_of(ask.activity)["actions"]}
        assert list(buttons) == ["Keep me in", "Take a break"]
        press = personal(name, connector.url, text=None, value=buttons[label], replyToId=ask.returned_id)
        assert await post_activity(teams, press) == 200
        assert reply in texts(connector.sent[-1].activity)
    async with core.db.transaction() as session:
        chosen = dict((await session.execute(select(FikaPerson.ref, FikaPerson.opted_in))).all())
    assert chosen == {"teams:aad-alice": True, "teams:aad-bob": False}


def join_invoke(connector: FakeConnector, name: str, root: str, data: dict[str, Any]) -> dict[str, Any]:
    """An Action.Execute press on the channel's announcement card, as current Teams clients send it."""
    body = payload("activity_card_vote", connector.url, id=f"inv-{name}-{next(ACTIVITY_IDS)}",
                   **{"from": person(name)})
    body.update(type="invoke", name="adaptiveCard/action", replyToId=root,
                value={"action": {"type": "Action.Execute", "verb": data["crowdbot"], "data": data},
                       "trigger": "manual"})
    body["conversation"] = {**body["conversation"], "id": f"{ROTAS};messageid={root}"}
    return body


async def test_the_channel_announcement_s_join_button_is_an_invoke_that_opts_in_for_the_next_round(
        aiohttp_client: Any, database_url: str, connector: FakeConnector) -> None:
    teams = await client_for(aiohttp_client, database_url, connector)
    for name in ("alice", "bob"):
        assert await post_activity(teams, personal(name, connector.url, text="idea fika on")) == 200
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    assert await post_activity(teams, personal("cm", connector.url, text="idea fika round", **{"from": cm})) == 200
    await drain(teams)
    (announcement,) = [r for r in connector.sent if r.conversation == ROTAS]
    text = texts(announcement.activity)
    assert "Fika round 1: 2 people paired" in text and "Q1?" in text and "Alice" not in text and "Bob" not in text
    actions = {a["title"]: a for a in card_of(announcement.activity)["actions"]}
    assert list(actions) == ["Join the next round", "Leave"]
    assert (actions["Join the next round"]["type"], actions["Join the next round"]["verb"]) == \
        ("Action.Execute", "fika_join")
    response = await teams.post("/api/messages", json=join_invoke(connector, "chen", announcement.returned_id,
                                                                  actions["Join the next round"]["data"]))
    assert response.status == 200
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.activity.message" and "You're in fika" in answer["value"]
    assert not [r for r in connector.sent if r.conversation == ROTAS][1:]  # the answer is the presser's alone
    assert await post_activity(teams, personal("cm", connector.url, text="idea fika round", **{"from": cm})) == 200
    async with teams.app[RUNTIME].core.db.transaction() as session:
        rows = (await session.execute(select(FikaMember.round_id, FikaMember.person_ref))).all()
    second = {ref for round_id, ref in rows if round_id == max(r for r, _ in rows)}
    assert second == {"teams:aad-alice", "teams:aad-bob", "teams:aad-chen"}


def account(name: str, upn: str) -> dict[str, str]:
    """A TeamsChannelAccount as the Bot Connector's "Get single member" answers it."""
    return {"id": f"29:{name}-bf-id", "name": name.title(), "aadObjectId": f"aad-{name}", "givenName": name.title(),
            "surname": "Smith", "email": upn, "userPrincipalName": upn, "tenantId": "tenant-1", "userRole": "user"}


async def test_joining_over_teams_learns_the_sign_in_address_so_the_next_round_links_a_chat(
        aiohttp_client: Any, database_url: str, connector: FakeConnector) -> None:
    teams = await client_for(aiohttp_client, database_url, connector)
    core = teams.app[RUNTIME].core
    await import_people(core, parse_people("person,name,email\nteams:aad-alice,Alice Smith,alice_csv@example.org\n"))
    connector.members = {"29:alice-bf-id": account("alice", "alice@contoso.example"),
                         "29:bob-bf-id": account("bob", "bob@contoso.example")}
    for name in ("alice", "bob"):
        assert await post_activity(teams, personal(name, connector.url, text="idea fika on")) == 200
    assert connector.member_lookups == [("a:1on1-bob", "29:bob-bf-id")]  # alice's CSV address stands
    cm = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": CM_AAD}
    assert await post_activity(teams, personal("cm", connector.url, text="idea fika round", **{"from": cm})) == 200
    await drain(teams)
    links = {r.conversation: line for r in connector.sent for line in texts(r.activity).splitlines()
             if line.startswith("Start a chat:")}
    assert "bob@contoso.example" in links["a:1on1-alice"] and "alice%5Fcsv@example.org" in links["a:1on1-bob"]
    # Someone the connector cannot find joins from the announcement: in, with no address and no link for them.
    (announcement,) = [r for r in connector.sent if r.conversation == ROTAS]
    join = next(a for a in card_of(announcement.activity)["actions"] if a["title"] == "Join the next round")
    response = await teams.post("/api/messages", json=join_invoke(connector, "chen", announcement.returned_id,
                                                                  join["data"]))
    assert response.status == 200 and "You're in fika" in (await response.json())["value"]
    conversation, member = connector.member_lookups[-1]  # botbuilder asks the channel's conversation
    assert conversation.startswith(ROTAS) and member == "29:chen-bf-id"
    async with core.db.transaction() as session:
        emails = dict((await session.execute(select(FikaPerson.ref, FikaPerson.email))).all())
    assert emails == {"teams:aad-alice": "alice_csv@example.org", "teams:aad-bob": "bob@contoso.example",
                      "teams:aad-chen": None}
