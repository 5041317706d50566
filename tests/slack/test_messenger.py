"""SlackMessenger against the fake Web API: what it sends, and how each failure is classified."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import unused_port

from adapters.slack.adapter import web_client
from adapters.slack.messenger import SlackMessenger
from bot.config import SlackConfig
from bot.message import Destination, Message
from bot.messenger import DeliveryError
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

IDEA = Message(text="Idea #1: <!here> swap", title="Idea #1", body="<!here> swap")


def messenger_for(base_url: str, token: str = BOT_TOKEN) -> SlackMessenger:
    return SlackMessenger(web_client(SlackConfig(bot_token=token, signing_secret="s", api_url=base_url)))


async def test_send_update_and_direct_message(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack.base_url)

    ts = await messenger.send(Destination("slack", "CROTA"), IDEA)
    reply_ts = await messenger.send(Destination("slack", "CROTA", thread=ts), Message(text="in thread"))
    await messenger.update(Destination("slack", "CROTA"), ts, IDEA)
    await messenger.send_direct(Destination("slack", user_id="slack:U1"), Message(text="about your idea"))

    post, threaded, direct = fake_slack.of("chat.postMessage")
    assert (post["channel"], post["text"]) == ("CROTA", "Idea #1: &lt;!here&gt; swap")
    assert post["unfurl_links"] is False and "link_names" not in post and "parse" not in post
    assert threaded["thread_ts"] == ts and reply_ts != ts
    (update,) = fake_slack.of("chat.update")
    assert (update["channel"], update["ts"]) == ("CROTA", ts) and update["blocks"] == post["blocks"]
    assert direct["channel"] == "U1"  # the app's DM with U1, without a conversations.open call
    assert fake_slack.of("conversations.open") == []


async def test_direct_message_opens_the_dm_only_where_slack_refuses_the_user_id(fake_slack: FakeSlack) -> None:
    fake_slack.refuse_user_dm = {"U2"}
    messenger = messenger_for(fake_slack.base_url)

    await messenger.send_direct(Destination("slack", user_id="slack:U2"), Message(text="about your idea"))

    assert [call.args["channel"] for call in fake_slack.calls if call.method == "chat.postMessage"] == ["U2", "DU2"]
    assert [args["users"] for args in fake_slack.of("conversations.open")] == ["U2"]


async def test_the_fake_enforces_tiers_and_a_tiered_429_is_method_wide(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack.base_url)
    ts = await messenger.send(Destination("slack", "CROTA"), IDEA)
    for _ in range(50):  # chat.update is Tier 3: 50 a minute
        await messenger.update(Destination("slack", "CROTA"), ts, IDEA)
    with pytest.raises(DeliveryError) as caught:
        await messenger.update(Destination("slack", "COTHER"), ts, IDEA)
    assert caught.value.retry_after is not None and caught.value.retry_after > 0
    assert caught.value.method == "chat.update" and caught.value.method_wide is True


async def test_the_fake_paces_each_channel_with_bursts(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack.base_url)
    for _ in range(4):  # a short burst is allowed
        await messenger.send(Destination("slack", "CROTA"), IDEA)
    with pytest.raises(DeliveryError) as caught:
        await messenger.send(Destination("slack", "CROTA"), IDEA)
    assert caught.value.retry_after == 1.0 and caught.value.method_wide is False
    await messenger.send(Destination("slack", "CBREAK"), IDEA)  # another channel has its own pace


@pytest.mark.parametrize("error, status, retry_after, permanent", [
    ("ratelimited", 429, 7.0, False),
    ("channel_not_found", 200, None, True),
    ("not_in_channel", 200, None, True),
    ("internal_error", 500, None, False),
    ("fatal_error", 200, None, False),
])
async def test_failures_are_classified(fake_slack: FakeSlack, error: str, status: int, retry_after: float | None,
                                       permanent: bool) -> None:
    fake_slack.fail("chat.postMessage", error, status=status, retry_after=7 if status == 429 else None)

    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack.base_url).send(Destination("slack", "CROTA"), IDEA)

    assert (raised.value.retry_after, raised.value.permanent) == (retry_after, permanent)
    assert "chat.postMessage" in str(raised.value)


async def test_a_wrong_token_is_permanent(fake_slack: FakeSlack) -> None:
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack.base_url, token="xoxb-revoked").send(Destination("slack", "C1"), IDEA)

    assert raised.value.permanent and "invalid_auth" in str(raised.value)


async def test_a_proxy_error_page_is_transient(aiohttp_server: Any) -> None:
    async def bad_gateway(request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>Bad gateway</html>", content_type="text/html")

    app = web.Application()
    app.router.add_post("/api/{method}", bad_gateway)
    server = await aiohttp_server(app)

    with pytest.raises(DeliveryError) as raised:
        await messenger_for(str(server.make_url("/api/"))).send(Destination("slack", "C1"), IDEA)

    assert not raised.value.permanent and raised.value.retry_after is None


async def test_an_unreachable_api_is_transient() -> None:
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(f"http://127.0.0.1:{unused_port()}/api/").send(Destination("slack", "C1"), IDEA)

    assert not raised.value.permanent


async def test_a_group_dm_is_opened_once_even_when_its_post_is_retried(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack.base_url)
    group = Destination("slack", user_id="slack:U1,U2")
    fake_slack.fail("chat.postMessage", "ratelimited", status=429, retry_after=1)
    with pytest.raises(DeliveryError) as caught:
        await messenger.send_direct(group, Message(text="fika"))
    assert caught.value.retry_after == 1

    await messenger.send_direct(group, Message(text="fika"))  # the outbox's retry

    assert [args["users"] for args in fake_slack.of("conversations.open")] == ["U1,U2"]  # Tier 3: spent once
    assert [call.args["channel"] for call in fake_slack.answered("chat.postMessage")][-1] == "GU1U2"
