"""The dashboard's sensemaking pages over real HTTP: a challenge's suggested themes applied from a form (renamed,
ideas left out), its probable duplicates merged with a button, both in the audit log; forms from another site
refused; bad input answered clearly with nothing changed; idea text escaped and no author named."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from storage.models import AuditEntry, Idea, IdeaTheme
from tests.factories import harness_clock
from tests.playground.helpers import OTHER, STAFF, act, playground_config

THEMES = "/dashboard/challenges/rotas/themes"
DUPLICATES = "/dashboard/challenges/rotas/duplicates"
RAIL = ("Swap shifts with an app instead of the paper book", "An app to swap shifts instead of the paper book",
        "Publish the rota six weeks ahead for childcare", "Publish rotas six weeks ahead so parents plan childcare",
        "Free parking for night staff after late shifts", "Night staff parking free after a late shift",
        "<b>Handover</b> checklist & notes for every shift")


@pytest.fixture
def config(database_url):
    # The similar-ideas check would hold the look-alike ideas back for their authors to choose: off, so they post.
    return playground_config(database_url, similarity={"enabled": False})


async def a_challenge_with_look_alikes(client) -> None:
    for index, text in enumerate(RAIL):
        status, _ = await act(client, "command", (STAFF, OTHER)[index % 2], text=f"/idea {text}")
        assert status == 200
    await act(client, "command", OTHER, text="/idea anonymous Swap shifts using an app rather than the paper book")


def own_origin(client) -> dict[str, str]:
    return {"Origin": str(client.make_url("")).rstrip("/")}


async def rows(client, model, *where):
    async with client.app[RUNTIME].core.db.transaction() as session:
        return list((await session.execute(select(model).where(*where))).scalars())


async def test_a_suggested_theme_is_applied_renamed_to_the_ticked_ideas_only(aiohttp_client, config) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await a_challenge_with_look_alikes(client)
    dashboard = await (await client.get("/dashboard")).text()
    assert f'href="{THEMES}"' in dashboard and f'href="{DUPLICATES}"' in dashboard

    page = await (await client.get(THEMES)).text()
    assert "<h1>Suggested themes: Fairer rotas</h1>" in page and "Group 1:" in page
    assert "&lt;b&gt;Handover&lt;/b&gt; checklist &amp; notes" in page and "<b>Handover" not in page
    assert STAFF not in page and OTHER not in page  # ideas are listed without their authors
    group = re.search(r'<form method="post".*?</form>', page, re.S)
    assert group
    ticked = [int(n) for n in re.findall(r'name="idea" value="(\d+)" checked', group[0])]
    assert len(ticked) >= 2
    kept, left_out = ticked[:-1], ticked[-1]

    response = await client.post(THEMES, data={"theme": "Shift Swaps", "idea": [str(n) for n in kept]},
                                 headers=own_origin(client))
    assert response.status == 200
    assert f"Theme &#x27;shift swaps&#x27; is now on {len(kept)} idea(s)" in await response.text()
    themed = await rows(client, IdeaTheme, IdeaTheme.theme == "shift swaps")
    numbers = {idea.number for idea in await rows(client, Idea) if idea.id in {t.idea_id for t in themed}}
    assert numbers == set(kept) and left_out not in numbers
    logged = await rows(client, AuditEntry, AuditEntry.action == "theme added")
    assert {(e.actor_ref, e.idea_number, e.detail) for e in logged} == {("dashboard", n, "shift swaps") for n in kept}

    again = await client.post(THEMES, data={"theme": "shift swaps", "idea": [str(n) for n in kept]},
                              headers=own_origin(client))
    assert again.status == 200 and "have it already" in await again.text()
    assert len(await rows(client, IdeaTheme, IdeaTheme.theme == "shift swaps")) == len(kept)


@pytest.mark.parametrize(("form", "says"), [
    ({"theme": "rotas"}, "Tick at least one idea"),
    ({"theme": "", "idea": "1"}, "theme"),
    ({"theme": "x" * 61, "idea": "1"}, "60"),
    ({"theme": "rotas", "idea": "²"}, "is not an idea number"),
    ({"theme": "rotas", "idea": "9" * 12}, "is not an idea number"),
    ({"theme": "rotas", "idea": "999"}, "There is no idea #999"),
])
async def test_a_bad_apply_says_why_and_changes_nothing(aiohttp_client, config, form, says) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await a_challenge_with_look_alikes(client)
    response = await client.post(THEMES, data=form, headers=own_origin(client))
    assert response.status == 400
    outcome = re.search(r'<p class="note" role="status" id="outcome">(.*?)</p>', await response.text(), re.S)
    assert outcome and says in outcome[1]
    assert await rows(client, IdeaTheme) == [] and await rows(client, AuditEntry) == []


async def test_probable_duplicates_are_merged_from_the_page(aiohttp_client, config) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await a_challenge_with_look_alikes(client)
    page = await (await client.get(DUPLICATES)).text()
    pairs = re.findall(r'name="duplicate" value="(\d+)"><input type="hidden" name="survivor" value="(\d+)">', page)
    assert ("2", "1") in pairs, pairs
    assert STAFF not in page and OTHER not in page

    response = await client.post(DUPLICATES, data={"duplicate": "2", "survivor": "1"}, headers=own_origin(client))
    assert response.status == 200
    assert "Merged #2 into #1: votes count once per person." in await response.text()
    merged = {idea.number: idea for idea in await rows(client, Idea)}
    assert merged[2].merged_into_id == merged[1].id
    assert [(e.actor_ref, e.idea_number, e.detail) for e in await rows(client, AuditEntry)] == [
        ("dashboard", 2, "into #1")]
    assert ("2", "1") not in re.findall(r'name="duplicate" value="(\d+)"><input type="hidden" name="survivor" '
                                        r'value="(\d+)">', await response.text())

    twice = await client.post(DUPLICATES, data={"duplicate": "2", "survivor": "1"}, headers=own_origin(client))
    assert twice.status == 400 and "already merged" in await twice.text()
    elsewhere = await client.post(DUPLICATES, data={"duplicate": "3", "survivor": "1"}, headers=own_origin(client))
    assert elsewhere.status == 200  # both of this challenge: a manager may merge any pair, as in chat
    other_challenge = await client.post("/dashboard/challenges/breaks/duplicates",
                                        data={"duplicate": "5", "survivor": "4"}, headers=own_origin(client))
    assert other_challenge.status == 400 and "not both ideas of" in await other_challenge.text()
    assert len(await rows(client, AuditEntry)) == 2


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://evil.example"}, {"Origin": "null"}])
async def test_forms_from_another_site_are_refused(aiohttp_client, config, headers) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await a_challenge_with_look_alikes(client)
    for path, form in ((DUPLICATES, {"duplicate": "2", "survivor": "1"}), (THEMES, {"theme": "x", "idea": "1"})):
        response = await client.post(path, data=form, headers=headers)
        assert response.status == 403 and "its own pages" in await response.text()
    assert all(idea.merged_into_id is None for idea in await rows(client, Idea))
    assert await rows(client, IdeaTheme) == [] and await rows(client, AuditEntry) == []


async def test_an_unknown_challenge_is_a_404(aiohttp_client, config) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    for path in ("/dashboard/challenges/nope/themes", "/dashboard/challenges/nope/duplicates"):
        response = await client.get(path)
        assert response.status == 404 and "There is no challenge called 'nope'" in await response.text()
    empty = await client.get(THEMES)
    assert empty.status == 200 and "too few ideas to group yet" in await empty.text()


async def test_outside_loopback_the_pages_and_their_forms_need_the_token(aiohttp_client, database_url,
                                                                           monkeypatch) -> None:
    monkeypatch.setenv("CROWDBOT_DASHBOARD_TOKEN", "s3cret-token")
    config = playground_config(database_url, playground={"enabled": False})
    client = await aiohttp_client(create_app(config, host="0.0.0.0", clock=harness_clock()))
    assert (await client.get(THEMES)).status == 401
    assert (await client.post(DUPLICATES, data={"duplicate": "2", "survivor": "1"},
                              headers=own_origin(client))).status == 401

    page = await (await client.get(THEMES + "?token=s3cret-token")).text()
    assert 'href="/dashboard?token=s3cret-token"' in page  # the way back keeps the token
    dashboard = await (await client.get("/dashboard?token=s3cret-token")).text()
    assert f'href="{THEMES}?token=s3cret-token"' in dashboard
    # A script holding the token (a Bearer header) is not a browser form: no Origin needed.
    bearer = await client.post(THEMES, data={"theme": "rotas", "idea": "7"},
                               headers={"Authorization": "Bearer s3cret-token"})
    assert bearer.status == 400 and "There is no idea #7" in await bearer.text()
