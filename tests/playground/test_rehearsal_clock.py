"""The rehearsal clock over HTTP: managers only, private to the playground while Slack is live, claims nothing,
its "Coming up" list follows the rehearsal time, and every scheduled job can be rehearsed."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

import pytest
from sqlalchemy import func, select

from bot.app import RUNTIME, create_app
from storage.models import ScheduleClaim
from tests.factories import FixedClock, make_config
from tests.playground.helpers import CM, LEADER, STAFF, act, open_stream
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

ADMIN = "Robin Shaw"
# Monday 23 Nov 2026, 12:00 London: the 09:30 prompt is past its grace period, so start-up catches nothing up.
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def live_config(database_url: str, slack_api: str):
    """Slack live (posting to the fake) and the playground on, with people on both."""
    return make_config(
        storage={"url": database_url},
        slack={"bot_token": BOT_TOKEN, "signing_secret": "test-signing-secret", "api_url": slack_api},
        playground={"enabled": True},
        roles={"community_managers": ["slack:UCM", f"playground:{CM}"],
               "leaders": ["slack:ULEAD", f"playground:{LEADER}"], "admins": [f"playground:{ADMIN}"]},
        digests={"leaders": {"cron": "0 16 * * fri"},
                 "community": {"cron": "0 12 * * fri", "channels": ["slack:CGENERAL"]},
                 "unanswered": {"cron": "0 9 * * tue"}},
    )


@pytest.fixture
async def fake(aiohttp_server) -> FakeSlack:
    fake = FakeSlack()
    server = await aiohttp_server(fake.app())
    fake.base_url = str(server.make_url("/api/"))
    return fake


@pytest.fixture
def fixed() -> FixedClock:
    return FixedClock(MONDAY_NOON)


@pytest.fixture
async def client(fake, aiohttp_client, database_url, fixed):
    app = create_app(live_config(database_url, fake.base_url), clock=fixed)
    return await aiohttp_client(app)


def playground(client):
    return next(a for a in client.app[RUNTIME].adapters if a.platform == "playground")


async def drain(client) -> None:
    await client.app[RUNTIME].dispatcher.drain()


async def claims(client) -> int:
    async with client.app[RUNTIME].core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(ScheduleClaim))).scalar_one())


async def clock(client, persona: str, **body):
    return await act(client, "clock", persona, **body)


@pytest.mark.parametrize("persona", [STAFF, LEADER])
@pytest.mark.parametrize("what", ["fire-next", "digest", "job"])
async def test_only_community_managers_and_admins_may_use_it(client, fake, persona, what) -> None:
    status, answer = await clock(client, persona, what=what, job="prompt:rotas")
    await drain(client)

    assert status == 403
    assert answer["error"] == "Only community managers or admins can use the rehearsal clock. Nothing was changed."
    assert playground(client).history.posts("rotas") == []
    assert playground(client).history.direct(LEADER) == []
    assert fake.calls == [] and await claims(client) == 0


@pytest.mark.parametrize("persona", [CM, ADMIN])
async def test_a_rehearsal_posts_in_the_playground_only_and_claims_no_real_fire(client, fake, persona) -> None:
    await clock(client, persona, what="fire-next")  # Tuesday 09:00: the unanswered list (empty)
    status, answer = await clock(client, persona, what="fire-next")
    await drain(client)

    assert status == 200
    assert answer["result"].startswith("Challenge prompt: Fairer rotas (30 9 * * mon-fri) (due Tue 24 Nov 09:30), "
                                       "rehearsed in the playground only")
    (prompt,) = playground(client).history.posts("rotas")
    assert "Fairer rotas: Q" in prompt.message.text
    assert fake.calls == []  # nothing reached Slack
    assert await claims(client) == 0  # Tuesday's real 09:30 prompt still goes out, to Slack too


async def test_the_digest_button_reaches_playground_people_and_channels_only(client, fake) -> None:
    leader = await open_stream(client, LEADER)

    status, answer = await clock(client, CM, what="digest")
    await drain(client)

    assert status == 200 and "playground:Dr Lee Harper" in answer["result"] and "slack:" not in answer["result"]
    assert "You said, we did" in (await leader.next(lambda e: e["type"] == "direct"))["html"]
    assert any("You said, we did" in post.message.text for post in playground(client).history.posts("rotas"))
    assert fake.calls == []


async def test_coming_up_follows_the_rehearsal_time(client) -> None:
    page = await (await client.get("/", params={"as": CM})).text()
    assert escape("Unanswered ideas, to the community managers (0 9 * * tue): Tue 24 Nov 09:00") in page
    status, first = await clock(client, CM, what="fire-next")
    assert status == 200 and first["result"].startswith("Unanswered ideas")
    lines = [item["line"] for item in first["upcoming"]]
    assert lines[0].endswith("Tue 24 Nov 09:30") and lines[0].startswith("Challenge prompt")
    assert not any(line.endswith("Tue 24 Nov 09:00") for line in lines)

    _, second = await clock(client, CM, what="fire-next")
    assert "(due Tue 24 Nov 09:30)" in second["result"]
    assert second["upcoming"][0]["line"].endswith("Wed 25 Nov 09:30")
    page = await (await client.get("/", params={"as": CM})).text()
    assert "Wed 25 Nov 09:30" in page and "Tue 24 Nov 09:30" not in page


async def test_once_real_time_passes_the_rehearsal_time_the_list_starts_from_now(client, fixed) -> None:
    await clock(client, CM, what="fire-next")  # rehearsal time: Tue 24 Nov 09:00
    fixed.advance(days=3)  # really Thursday 26 Nov, 12:00

    _, answer = await clock(client, CM, what="fire-next")

    assert "(due Fri 27 Nov 09:30)" in answer["result"]


@pytest.mark.parametrize(("job", "expected"), [
    ("digest:community", "You said, we did"),
    ("digest:leaders", "You said, we did"),
    ("digest:unanswered", "with no response after"),
    ("prompt:rotas", "Fairer rotas: Q"),
])
async def test_every_scheduled_job_can_be_rehearsed_into_the_playground(client, fake, fixed, job, expected) -> None:
    manager = await open_stream(client, CM)
    leader = await open_stream(client, LEADER)
    await act(client, "command", STAFF, text="/idea Shared handover notes")
    await drain(client)
    fixed.advance(days=client.app[RUNTIME].config.campaign.unanswered_after_days + 1)  # the idea is now unanswered

    status, answer = await clock(client, CM, what="job", job=job)
    await drain(client)

    assert status == 200 and "rehearsed in the playground only" in answer["result"], answer
    if job == "digest:unanswered":
        assert expected in (await manager.next(lambda e: e["type"] == "direct"))["html"]
    elif job == "digest:leaders":
        assert expected in (await leader.next(lambda e: e["type"] == "direct"))["html"]
    else:
        assert any(expected in post.message.text for post in playground(client).history.posts("rotas"))
    assert [call for call in fake.calls if call.method != "chat.postMessage" or call.args["channel"] != "CROTA"
            ] == []  # only the idea's own post went to Slack; the rehearsal went nowhere else
    assert await claims(client) == 0


async def test_an_unknown_job_is_named(client) -> None:
    status, answer = await clock(client, CM, what="job", job="nope")
    assert status == 200 and answer["result"] == "There is no scheduled job 'nope' with a fire left."
