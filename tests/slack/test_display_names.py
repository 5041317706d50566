"""People shown by their Slack display name (users.info, after the acknowledgement), never by raw id where a
name is known, and never at all when anonymous: posts, the dashboard, digests and the export CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import create_app
from bot.subject_access import subject_access_document
from storage import display_names
from tests.cli.test_cli import ROOT, crowdbot
from tests.factories import QUIET_MOMENT, FixedClock
from tests.slack.conftest import SlackHarness, slack_config
from tests.slack.fake_slack import FakeSlack

NAME = "Ada <!here> & co"  # a name is user text: Slack must not read it as a mention of everyone


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(QUIET_MOMENT)  # no prompt or digest falls due while the test moves it on by a day


@pytest.fixture
async def slack(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str, clock: FixedClock
                ) -> AsyncIterator[SlackHarness]:
    client = await aiohttp_client(create_app(slack_config(database_url, fake_slack), clock=clock))
    yield SlackHarness(client, fake_slack)


def latest_post(fake: FakeSlack, ts: str) -> str:
    """What the message `ts` shows now: its last chat.update, else its chat.postMessage (blocks and text)."""
    versions = [call.args for call in fake.answered("chat.postMessage") if call.answer.get("ts") == ts]
    versions += [args for args in fake.of("chat.update") if args.get("ts") == ts]
    assert versions, f"no message {ts}"
    return json.dumps(versions[-1])


def lookups(fake: FakeSlack, user: str) -> int:
    return sum(1 for args in fake.of("users.info") if args.get("user") == user)


async def test_posts_dashboard_and_export_show_the_slack_name_and_never_an_anonymous_author(
        slack: SlackHarness, tmp_path: Any, database_url: str) -> None:
    slack.fake.add_user("U1", display_name=NAME, real_name="Ada Lovelace")
    slack.fake.add_user("USECRET", display_name="Secret Sam", real_name="Samuel Secret")
    named = await slack.submit_idea("Quiet rooms for breaks", user="U1")
    reply = await slack.command_reply("anon Free parking for night shifts", user="USECRET")
    assert "anonymously" in reply["text"]
    await slack.drain()
    unknown = await slack.submit_idea("Water fountains on every ward", user="UGONE")  # users.info: user_not_found
    await slack.settle()

    shown = latest_post(slack.fake, named)
    assert "Ada &lt;!here&gt; &amp; co" in shown and "<!here>" not in shown  # escaped as user text
    assert "UGONE" in latest_post(slack.fake, unknown)  # no name to be had: the id, and the idea is safe
    assert lookups(slack.fake, "U1") == 1 and lookups(slack.fake, "UGONE") == 1
    every_call = json.dumps([call.args for call in slack.fake.calls if call.method != "users.info"])
    assert "Secret Sam" not in every_call and "USECRET" not in every_call

    page = await (await slack.client.get("/dashboard")).text()
    assert "Ada &lt;!here&gt; &amp; co" in page and "<!here>" not in page
    assert "Secret Sam" not in page and "USECRET" not in page

    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    exported = crowdbot("export", "--format", "csv", cwd=tmp_path, env_db=database_url)
    assert exported.returncode == 0, exported.stderr
    rows = {row["text"]: row for row in csv.DictReader(io.StringIO(exported.stdout))}
    named_row = rows["Quiet rooms for breaks"]
    assert (named_row["author"], named_row["author_name"]) == ("slack:U1", NAME)
    assert rows["Water fountains on every ward"]["author_name"] == "UGONE"
    secret = rows["Free parking for night shifts"]
    assert (secret["author"], secret["author_name"]) == ("", "")
    assert "Secret" not in exported.stdout and "USECRET" not in exported.stdout


async def test_a_rate_limited_lookup_shows_the_id_loses_nothing_and_is_retried_later(
        slack: SlackHarness, clock: FixedClock) -> None:
    slack.fake.add_user("U2", display_name="Bea")
    slack.fake.fail("users.info", "ratelimited", status=429, retry_after=30)
    ts = await slack.submit_idea("Hot meals on night shifts", user="U2")
    await slack.settle()
    assert "U2" in latest_post(slack.fake, ts) and "Bea" not in latest_post(slack.fake, ts)
    assert slack.fake.of("users.info") and await slack.idea_texts() == ["Hot meals on night shifts"]

    await slack.command_reply("mine", user="U2")  # within the hour after a failure: no second call
    await slack.settle()
    assert lookups(slack.fake, "U2") == 1

    clock.advance(hours=2)
    await slack.command_reply("mine", user="U2")
    await slack.settle()
    assert lookups(slack.fake, "U2") == 2
    assert "Bea" in latest_post(slack.fake, ts)  # the post delivered with the id now shows the name


async def test_a_name_is_cached_for_a_day_then_refreshed_and_the_post_follows_a_rename(
        slack: SlackHarness, clock: FixedClock) -> None:
    slack.fake.add_user("U3", display_name="Cy")
    ts = await slack.submit_idea("Lockers near the wards", user="U3")
    await slack.settle()
    assert "Cy" in latest_post(slack.fake, ts) and lookups(slack.fake, "U3") == 1

    slack.fake.add_user("U3", display_name="Cyrus")  # renamed in Slack
    for hours in (1, 11, 11):  # 23 hours in all: the cached name stands
        clock.advance(hours=hours)
        await slack.event({"type": "app_home_opened", "user": "U3", "channel": "DU3", "tab": "home"},
                          f"Ev-home-{hours}-{clock.now:%H}")
        await slack.settle()
    assert lookups(slack.fake, "U3") == 1 and "Cyrus" not in latest_post(slack.fake, ts)

    clock.advance(hours=2)
    await slack.command_reply("mine", user="U3")
    await slack.settle()
    assert lookups(slack.fake, "U3") == 2
    assert "Cyrus" in latest_post(slack.fake, ts)


async def test_a_lookup_finishing_after_forget_me_does_not_bring_the_name_back(
        slack: SlackHarness, clock: FixedClock) -> None:
    slack.fake.add_user("U4", display_name="Dee")
    await slack.submit_idea("Bike racks by the entrance", user="U4")
    await slack.settle()
    clock.advance(hours=25)  # the name is due a refresh, so the erasing command itself starts a lookup

    reply = await slack.command_reply("forget me confirm", user="U4")
    assert "you are forgotten" in reply["text"], reply
    await slack.settle()
    assert lookups(slack.fake, "U4") == 2  # the lookup ran, after the erasure
    assert slack.runtime.core is not None
    async with slack.runtime.core.db.transaction() as session:
        assert await display_names.names_of(session, refs={"slack:U4"}) == {}
        document = await subject_access_document(session, ref="slack:U4", now=clock.now)
    assert document["display_name"] is None


async def test_after_a_429_nobody_is_looked_up_until_its_retry_after_has_passed(
        slack: SlackHarness, clock: FixedClock) -> None:
    # A busy hour brings hundreds of new people at once: a 429 must quiet the lookups, not start a storm of them.
    for user, name in (("U4", "Dee"), ("U5", "Eli"), ("U6", "Fay")):
        slack.fake.add_user(user, display_name=name)
    slack.fake.fail("users.info", "ratelimited", status=429, retry_after=30)
    await slack.submit_idea("Spare chargers at the nurses' station", user="U4")
    await slack.settle()
    for user in ("U5", "U6"):  # within the 30 s: no call for them (their ids are shown meanwhile)
        await slack.submit_idea(f"An idea from {user} about the discharge lounge", user=user)
    await slack.settle()
    assert [args.get("user") for args in slack.fake.of("users.info")] == ["U4"]

    clock.advance(hours=2)  # past the pause and the hour after which a person is handed out again
    await slack.command_reply("mine", user="U5")
    await slack.settle()
    assert lookups(slack.fake, "U5") == 1
