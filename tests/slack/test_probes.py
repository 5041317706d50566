"""Operator endpoints over the real app: /metrics in Prometheus text that moves with events, /readyz and
/healthz, and JSON log lines that carry an event's fields but never its text."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.logs import PAYLOAD_LOGGERS, configure_logging
from tests.conftest import POSTGRES_URL
from tests.slack.conftest import SlackHarness, reaction
from tests.slack.test_database_outage import CuttableProxy, proxied  # noqa: F401 - the outage fixture

IDEA = "Swap shifts in the app instead of the paper book on ward 7"


async def samples(slack: SlackHarness) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await slack.client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(await response.text()):  # raises on anything not Prometheus text
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def inbound(kind: str, outcome: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return ("crowdbot_inbound_events_total", (("kind", kind), ("outcome", outcome), ("platform", "slack")))


async def test_metrics_count_stored_duplicate_and_refused_events(slack: SlackHarness) -> None:
    before = await samples(slack)
    ts = await slack.submit_idea(IDEA)
    await slack.event(reaction("U2", ts), "EvMetrics1")
    await slack.event(reaction("U2", ts), "EvMetrics1", retry_num=1)
    await slack.command_reply("vote #999")
    await slack.drain()
    after = await samples(slack)

    assert after[inbound("CommandInvoked", "stored")] - before.get(inbound("CommandInvoked", "stored"), 0) == 1
    assert after[inbound("CommandInvoked", "refused")] == 1
    assert after[inbound("ReactionChanged", "stored")] == 1
    assert after[inbound("ReactionChanged", "duplicate")] == 1
    assert after[("crowdbot_ack_seconds_count", (("platform", "slack"),))] >= 4
    assert after[("crowdbot_outbox_sent_total", (("platform", "slack"),))] >= 1
    assert after[("crowdbot_group_commit_batch_size_count", ())] >= 1
    assert after[("crowdbot_outbox_pending", ())] == 0
    assert not any(IDEA in str(key) for key in after)


async def test_readyz_and_healthz_when_all_is_well(slack: SlackHarness) -> None:
    assert (await slack.client.get("/healthz")).status == 200
    ready = await slack.client.get("/readyz")
    assert ready.status == 200, await ready.text()
    assert await ready.json() == {"ready": True, "problems": []}


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_readyz_names_the_database_while_it_is_away(
        proxied: tuple[SlackHarness, CuttableProxy]) -> None:  # noqa: F811
    slack, proxy = proxied
    assert (await slack.client.get("/readyz")).status == 200

    await proxy.cut()
    away = await slack.client.get("/readyz")
    assert away.status == 503
    assert any(problem.startswith("database: not reachable") for problem in (await away.json())["problems"])
    assert (await slack.client.get("/healthz")).status == 200  # alive, only not ready

    await proxy.start()
    assert (await slack.client.get("/readyz")).status == 200


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger as `crowdbot run --log-format json --log-level DEBUG` sets it up, restored afterwards."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), {name: logging.getLogger(name).level for name in PAYLOAD_LOGGERS})
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    yield stream
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


async def test_json_log_lines_carry_fields_and_never_the_text(slack: SlackHarness, json_log: io.StringIO) -> None:
    ts = await slack.submit_idea(IDEA)
    await slack.command_reply(f"anon {IDEA} and a second anonymous one")
    await slack.event(reaction("U2", ts), "EvJson1")
    await slack.drain()

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    events = [line for line in lines if line["logger"] == "bot.observe"]
    assert {(line["kind"], line["outcome"], line["platform"]) for line in events} >= {
        ("CommandInvoked", "stored", "slack"), ("ReactionChanged", "stored", "slack")}
    assert all(isinstance(line["duration_ms"], float) for line in events)
    for word in ("paper book", "anonymous one"):
        assert word not in json_log.getvalue()


def test_an_unknown_log_format_or_level_is_refused() -> None:
    with pytest.raises(ValueError, match="text or json"):
        configure_logging("INFO", "xml")
    with pytest.raises(ValueError, match="DEBUG, INFO"):
        configure_logging("LOUD", "text")
