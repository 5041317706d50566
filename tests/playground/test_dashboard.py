"""The dashboard over real HTTP: its figures are `crowdbot stats`'s, its access rules, its chart and exports."""

from __future__ import annotations

import asyncio
import html
import io
import re

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.app import RUNTIME, create_app
from bot.cli import cli
from tests.factories import QUIET_MOMENT, harness_clock
from tests.playground.helpers import (
    CM,
    LEADER,
    OTHER,
    STAFF,
    act,
    open_stream,
    playground_config,
    post_recorded,
    post_with,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def dashboard_figures(page: str) -> dict[str, str]:
    block = re.search(r'<dl class="figures" id="figures">(.*?)</dl>', page, re.S)
    assert block, "no figures on the dashboard"
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block[1])}


async def run_campaign(client) -> None:
    """A small campaign through the playground: ideas, votes, a comment, a status, a horizon."""
    stream = await open_stream(client, STAFF)
    posted = []
    for text in ("Shared handover notes", "Rota swaps in the app"):
        await act(client, "command", STAFF, text=f"/idea {text}")
        posted.append((await stream.next(post_with(text)))["id"])
    await post_recorded(client.app[RUNTIME].core, posted[0])
    await act(client, "command", OTHER, channel="breaks", text="/idea Quiet rooms")
    await act(client, "action", OTHER, message=posted[0], action="vote", value="1")
    await act(client, "command", LEADER, text="/idea vote #1")
    await act(client, "command", CM, text="/idea horizon #1 H1")
    status, answer = await act(client, "command", CM, text="/idea status #1 in_progress Trial on ward 7")
    assert status == 200 and "in progress" in answer["ephemeral"][0]


@pytest.fixture
def config(database_url):
    return playground_config(database_url)


async def test_dashboard_figures_equal_crowdbot_stats(aiohttp_client, config, tmp_path) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await run_campaign(client)
    page = await (await client.get("/dashboard")).text()
    shown = dashboard_figures(page)

    config_file = tmp_path / "app.yaml"
    config_file.write_text(yaml.safe_dump(config.model_dump(mode="json")))
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["stats", "--config", str(config_file)],
                                     env={"CROWDBOT_CLOCK_START": QUIET_MOMENT.isoformat()})
    assert result.exit_code == 0, result.output
    printed = dict(line.split(": ", 1) for line in result.output.strip().splitlines()[1:])
    assert shown == printed
    assert shown["Participation"] == "3% (3 of 100)" and shown["Ideas"] == "3" and shown["Votes"] == "2"
    assert shown["Community managers active"] == "1"


async def test_dashboard_shows_status_horizon_top_ideas_and_quick_wins(aiohttp_client, config) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await run_campaign(client)
    page = await (await client.get("/dashboard")).text()
    assert '<th scope="row">in progress</th><td class="num">1</td>' in page
    assert '<th scope="row">new</th><td class="num">2</td>' in page
    assert '<th scope="row">H1 (quick win)</th><td class="num">1</td>' in page
    assert '<th scope="row">not set</th><td class="num">2</td>' in page
    quick = re.search(r'<table id="quick-wins">(.*?)</table>', page, re.S)
    assert quick and "Shared handover notes" in quick[1] and "Trial on ward 7" in quick[1]
    assert "Rota swaps" not in quick[1]
    top = page.split('<h3>Fairer rotas</h3>')[1].split("<h3>")[0]
    assert top.index("Shared handover notes") < top.index("Rota swaps in the app")
    assert 'alt="Participation and ideas over time' in page and "3 of 100 people have taken part" in page

    chart = await client.get("/dashboard/chart.png")
    assert chart.status == 200 and (await chart.read()).startswith(PNG_SIGNATURE)
    csv_text = await (await client.get("/dashboard/export.csv")).text()
    assert csv_text.splitlines()[0].startswith("number,challenge,text") and "Quiet rooms" in csv_text
    xlsx = await client.get("/dashboard/export.xlsx")
    sheet = load_workbook(io.BytesIO(await xlsx.read())).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Shared handover notes", "Rota swaps in the app", "Quiet rooms"]


async def test_dashboard_escapes_idea_text(aiohttp_client, config) -> None:
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await act(client, "command", STAFF, text="/idea <img src=x onerror=alert(1)> rotas")
    page = await (await client.get("/dashboard")).text()
    assert "&lt;img src=x onerror=alert(1)&gt; rotas" in page and "<img src=x" not in page


@pytest.mark.parametrize(("token", "headers", "query", "status"), [
    (None, {}, "", 404),
    ("s3cret-token", {}, "", 401),
    ("s3cret-token", {"Authorization": "Bearer wrong"}, "", 401),
    ("s3cret-token", {"Authorization": "Bearer s3cret-token"}, "", 200),
    ("s3cret-token", {}, "?token=s3cret-token", 200),
])
async def test_outside_loopback_the_dashboard_needs_the_token(aiohttp_client, database_url, monkeypatch,
                                                               token, headers, query, status) -> None:
    if token:
        monkeypatch.setenv("CROWDBOT_DASHBOARD_TOKEN", token)
    else:
        monkeypatch.delenv("CROWDBOT_DASHBOARD_TOKEN", raising=False)
    config = playground_config(database_url, playground={"enabled": False})
    client = await aiohttp_client(create_app(config, host="0.0.0.0", clock=harness_clock()))
    for path in ("/dashboard", "/dashboard/export.csv", "/dashboard/chart.png"):
        response = await client.get(path + query, headers=headers)
        assert response.status == status, path
    if status == 404:
        assert "CROWDBOT_DASHBOARD_TOKEN is not set" in await response.text()
    if query and status == 200:
        page = await (await client.get("/dashboard" + query)).text()
        assert 'href="/dashboard/export.csv?token=s3cret-token"' in page
