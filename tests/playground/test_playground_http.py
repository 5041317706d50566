"""The playground over real HTTP: page, JSON actions, live events, and the outbox delivering into it."""

from __future__ import annotations

import re
from html import escape

import pytest

from bot.app import RUNTIME, create_app
from bot.services.stats import campaign_figures
from tests.factories import harness_clock
from tests.playground.helpers import (
    CM,
    OTHER,
    STAFF,
    act,
    open_stream,
    playground_config,
    post_recorded,
    post_with,
)


@pytest.fixture
async def client(aiohttp_client, database_url):
    app = create_app(playground_config(database_url), clock=harness_clock())
    return await aiohttp_client(app)


async def figures(client):
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        return await campaign_figures(core, session)


async def submit(client, stream, text="Shared handover notes", persona=STAFF):
    status, answer = await act(client, "command", persona, text=f"/idea {text}")
    assert status == 200 and "your idea #" in answer["ephemeral"][0]
    event = await stream.next(post_with(escape(text)))
    await post_recorded(client.app[RUNTIME].core, event["id"])
    return event["id"]


async def test_page_offers_personas_channels_and_labelled_controls(client) -> None:
    page = await (await client.get("/", params={"as": CM, "channel": "breaks"})).text()
    assert '<option value="Casey Brown" selected>Casey Brown (community manager)</option>' in page
    assert "Dr Lee Harper (leader)" in page and "Sam Patel (staff)" in page
    assert 'aria-current="page">#breaks</a>' in page
    assert '<label for="composer-text">Message #breaks' in page
    assert "Fire next scheduled job" in page and "Run digest now" in page


async def test_idea_is_posted_live_escaped_and_voted_on_from_another_persona(client) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream, "Rota swaps <script>alert(1)</script> & more")
    page = await (await client.get("/", params={"as": OTHER, "channel": "rotas"})).text()
    assert "Rota swaps &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert" not in page

    status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")
    assert status == 200 and answer["added"] is True
    chip = await stream.next(lambda e: e["type"] == "post" and "React with +1: 1 (Alex Morgan)" in e["html"])
    assert chip["id"] == post_id
    await stream.next(lambda e: e["id"] == post_id and "<dt>Votes</dt><dd>1</dd>" in e["html"])
    assert (await figures(client)).votes == 1

    status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")
    assert answer["added"] is False
    await stream.next(lambda e: e["id"] == post_id and "<dt>Votes</dt><dd>0</dd>" in e["html"])
    assert (await figures(client)).votes == 0


async def test_own_vote_is_refused_only_to_the_author(client) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream)
    status, answer = await act(client, "reaction", STAFF, message=post_id, emoji="+1")
    assert status == 200 and "own idea" in answer["ephemeral"][0]
    assert (await figures(client)).votes == 0


async def test_non_vote_reaction_changes_no_votes(client) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream)
    status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="eyes")
    assert status == 200 and answer["changed"] is False
    await stream.next(lambda e: e["type"] == "post" and "React with eyes: 1" in e["html"])
    assert (await figures(client)).votes == 0


async def test_vote_button_and_thread_reply_count(client) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream)
    status, answer = await act(client, "action", OTHER, message=post_id, action="vote", value="1")
    assert "your vote for #1 is counted" in answer["ephemeral"][0]
    status, answer = await act(client, "reply", OTHER, message=post_id, text="Yes, and <b>handover</b> sheets")
    assert status == 200 and answer["changed"] is True
    event = await stream.next(lambda e: e["type"] == "post" and "1 reply" in e["html"])
    assert "Yes, and &lt;b&gt;handover&lt;/b&gt; sheets" in event["html"]
    result = await figures(client)
    assert (result.votes, result.comments) == (1, 1)


async def test_status_change_reaches_only_the_authors_direct_messages(client) -> None:
    author = await open_stream(client, STAFF)
    bystander = await open_stream(client, OTHER)
    await submit(client, author)
    status, answer = await act(client, "command", CM, text="/idea status #1 in_progress Trial on ward 7 in March")
    assert status == 200 and "Its author has been told" in answer["ephemeral"][0]
    direct = await author.next(lambda e: e["type"] == "direct")
    assert "Update on your idea #1" in direct["html"] and "Trial on ward 7 in March" in direct["html"]
    page = await (await client.get("/", params={"as": STAFF})).text()
    assert "Trial on ward 7 in March" in page
    other_page = await (await client.get("/", params={"as": OTHER})).text()
    assert "Update on your idea" not in other_page
    # The bystander's stream sees the card update but never the direct message.
    update = await bystander.next(lambda e: e["type"] != "post" or "in progress" in e["html"])
    assert update["type"] == "post"


async def test_empty_command_opens_a_labelled_form_that_submits(client) -> None:
    stream = await open_stream(client, STAFF)
    status, answer = await act(client, "command", STAFF, text="/idea")
    form = answer["ephemeral"][0]
    assert re.search(r'<label for="eph-0-form-text">Your idea</label>', form)
    assert '<option value="rotas" selected>Fairer rotas</option>' in form
    assert "Old challenge" not in form  # closed challenges are not offered
    status, answer = await act(client, "form", STAFF, challenge="breaks", text="Quiet rooms", anonymous=True)
    assert status == 200 and "anonymously" in answer["ephemeral"][0]
    event = await stream.next(post_with("Quiet rooms"))
    assert "<dd>anonymous</dd>" in event["html"]


async def test_prompt_command_posts_the_question_to_the_channel(client) -> None:
    stream = await open_stream(client, CM)
    status, answer = await act(client, "command", CM, text="/idea prompt rotas")
    assert status == 200
    event = await stream.next(post_with("Share yours: /idea"))
    assert event["conversation"] == "rotas" and "Fairer rotas" in event["html"]
    assert re.search(r"Q[123]\?", event["html"])


@pytest.mark.parametrize(("path", "body", "message"), [
    ("command", {"as": "Mallory", "channel": "rotas", "text": "/idea x"}, "Unknown persona 'Mallory'"),
    ("command", {"as": STAFF, "channel": "nowhere", "text": "/idea x"}, "Unknown channel 'nowhere'"),
    ("command", {"as": STAFF, "channel": "rotas", "text": "hello all"}, "Commands start with /idea"),
    ("command", {"as": STAFF, "channel": "rotas", "text": 42}, "text must be text"),
    ("reaction", {"as": STAFF, "channel": "rotas", "message": "gone", "emoji": "+1"}, "no longer in the"),
    ("form", {"as": STAFF, "channel": "rotas", "challenge": "rotas", "text": "x", "anonymous": "yes"},
     "anonymous must be true or false"),
    ("clock", {"as": STAFF, "what": "rewind"}, "Unknown clock control 'rewind'"),
])
async def test_bad_input_is_refused_clearly_and_changes_nothing(client, path, body, message) -> None:
    response = await client.post(f"/playground/api/{path}", json=body)
    assert response.status == 400
    assert message in (await response.json())["error"]
    assert (await figures(client)).ideas == 0


async def test_requests_from_other_sites_or_hosts_are_refused(client) -> None:
    body = {"as": STAFF, "channel": "rotas", "text": "/idea Sneaky"}
    form_post = await client.post("/playground/api/command", data=body)
    assert form_post.status == 403 and "JSON" in (await form_post.json())["error"]
    cross_site = await client.post("/playground/api/command", json=body, headers={"Origin": "https://evil.example"})
    assert cross_site.status == 403
    rebound = await client.get("/", headers={"Host": "evil.example:3978"})
    assert rebound.status == 403
    not_json = await client.post("/playground/api/command", data=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status == 400 and "not valid JSON" in (await not_json.json())["error"]
    assert (await figures(client)).ideas == 0


@pytest.mark.parametrize("value", ["²", "١", "1e3", "99999999999999999999"])
async def test_a_vote_button_value_that_is_not_an_idea_number_gets_400(client, value) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream)
    response = await client.post("/playground/api/action", json={"as": OTHER, "channel": "rotas", "message": post_id,
                                                                  "action": "vote", "value": value})
    assert response.status == 400 and "must be an idea number" in (await response.json())["error"]
    assert (await figures(client)).votes == 0


@pytest.mark.parametrize("path", ["command", "reaction", "clock"])
async def test_deeply_nested_json_gets_400_not_500(client, path) -> None:
    depth = 100_000  # far deeper than the JSON parser recurses; still well under the 2 MB body limit
    body = ('{"as": ' + "[" * depth + "]" * depth + "}").encode()
    response = await client.post(f"/playground/api/{path}", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400 and "not valid JSON" in (await response.json())["error"]
    assert (await figures(client)).ideas == 0


async def test_clock_controls_say_when_the_scheduler_is_not_running(client) -> None:
    client.app[RUNTIME].scheduler = None
    status, answer = await act(client, "clock", CM, what="fire-next")
    assert status == 200
    assert answer["result"] == "The scheduler is not running, so there is no scheduled job to rehearse."
    status, answer = await act(client, "clock", CM, what="digest", preview=True)
    assert "not running" in answer["result"]


async def test_clock_fires_the_next_prompt_and_previews_the_digest_to_one_person(client) -> None:
    channel = await open_stream(client, STAFF)
    manager = await open_stream(client, CM)
    page = await (await client.get("/", params={"as": CM})).text()
    assert "<li>Challenge prompt: Fairer rotas (30 9 * * mon-fri): " in page
    status, answer = await act(client, "clock", CM, what="fire-next")
    assert status == 200 and answer["result"].startswith("Challenge prompt: Fairer rotas (30 9 * * mon-fri) (due ")
    event = await channel.next(post_with("Share yours: /idea"))
    assert event["conversation"] == "rotas"
    status, answer = await act(client, "clock", CM, what="digest", preview=True)
    assert answer["result"] == "Rehearsal, in the playground only: Digest preview sent to playground:Casey Brown."
    direct = await manager.next(lambda e: e["type"] == "direct")
    assert "You said, we did" in direct["html"] and "data:image/png;base64," in direct["html"]
