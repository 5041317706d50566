"""The dashboard's fika section over real HTTP: the trial's figures, only when fika is configured."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.app import RUNTIME, create_app
from bot.fika.rounds import run_round
from storage import fika
from tests.factories import FixedClock, make_config
from tests.fika.conftest import fika_config


async def test_the_dashboard_shows_the_fika_trial(aiohttp_client: Any, database_url: str) -> None:
    client = await aiohttp_client(create_app(fika_config(storage={"url": database_url}), clock=FixedClock()))
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        for ref in ("playground:Sam", "playground:Alex"):
            await fika.set_choice(session, ref=ref, now=core.now(), opted_in=True)
        await run_round(core, session, started_by="test", at=core.now())
    page = await (await client.get("/dashboard")).text()
    block = re.search(r'<dl class="figures" id="fika">(.*?)</dl>', page, re.S)
    assert block is not None
    shown = {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block[1])}
    assert shown["Rounds"] == "1" and shown["People paired"] == "2 (2 opted in now)"
    assert shown["Groups that met"] == "0 of 1 (0%)"
    assert "Took part in fika: 2 people" in page


async def test_without_fika_the_dashboard_has_no_fika_section(aiohttp_client: Any, database_url: str) -> None:
    client = await aiohttp_client(create_app(make_config(storage={"url": database_url}), clock=FixedClock()))
    assert 'id="fika"' not in await (await client.get("/dashboard")).text()
