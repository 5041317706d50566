"""Exactly once across restarts and replicas: claims, the grace period, and the playground's interface."""

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from bot.context import Core
from scheduler.runner import CampaignScheduler
from storage.database import Database
from tests.factories import FixedClock
from tests.scheduler.conftest import message_of, queued

MONDAY_0930 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # GMT in November: UTC is local time


async def test_a_fire_missed_within_the_grace_period_runs_once_at_start(core: Core, clock: FixedClock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 45, tzinfo=UTC)
    done = await CampaignScheduler(core, node="a").catch_up()
    assert any("prompt for Fairer rotas" in line for line in done)
    assert len(await queued(core, conversation="CROTA")) == 1
    again = await CampaignScheduler(core, node="b").catch_up()  # a restart: the fire is claimed already
    assert not any("Fairer rotas" in line for line in again)
    assert len(await queued(core, conversation="CROTA")) == 1


async def test_a_fire_missed_beyond_the_grace_period_is_skipped_and_logged(
    core: Core, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = datetime(2026, 11, 23, 11, 0, 1, tzinfo=UTC)  # 09:30 was 91 minutes ago
    with caplog.at_level(logging.WARNING, logger="scheduler.runner"):
        await CampaignScheduler(core, node="a").catch_up()
    assert await queued(core, conversation="CROTA") == []
    assert "skipped prompt:rotas due at Mon 23 Nov 2026 09:30 GMT" in caplog.text


async def test_two_schedulers_on_one_database_post_each_fire_once(
    database_url: str, core: Core, clock: FixedClock
) -> None:
    other_db = Database(database_url)  # its own engine and connections, as a second process would have
    try:
        other = Core(core.config, other_db, platforms=core.platforms, clock=clock, traits=core.traits)
        first, second = CampaignScheduler(core, node="one"), CampaignScheduler(other, node="two")
        results = await asyncio.gather(first.fire("prompt:rotas", MONDAY_0930),
                                       second.fire("prompt:rotas", MONDAY_0930))
        assert sum("had already run" in result for result in results) == 1
        clock.now = datetime(2026, 11, 23, 9, 40, tzinfo=UTC)
        await asyncio.gather(first.catch_up(), second.catch_up())
    finally:
        await other_db.dispose()
    assert [row.conversation for row in await queued(core, kind="post", platform="slack")] == ["CROTA"]


async def test_prompts_rotate_through_the_questions_one_fire_after_another(core: Core, clock: FixedClock) -> None:
    scheduler = CampaignScheduler(core, node="a")
    for day in (23, 24, 25, 26):
        await scheduler.fire("prompt:rotas", datetime(2026, 11, day, 9, 30, tzinfo=UTC))
    bodies = [message_of(row).body for row in await queued(core, conversation="CROTA")]
    assert bodies == ["Q1?", "Q2?", "Q3?", "Q1?"]
    assert "Be the first to share an idea." in message_of((await queued(core, conversation="CROTA"))[0]).text


async def test_the_playground_interface_lists_fires_and_fires_the_next_one(core: Core, clock: FixedClock) -> None:
    clock.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    scheduler = CampaignScheduler(core, node="a")
    jobs = {job.id: job for job in scheduler.jobs()}
    assert [f"{t:%a %H:%M %Z}" for t in jobs["prompt:rotas"].next_fire_times] == [
        "Tue 09:30 GMT", "Wed 09:30 GMT", "Thu 09:30 GMT"]
    assert jobs["digest:leaders"].next_fire_times[0] == datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert jobs["challenge:closed:closes"].next_fire_times == []
    first = await scheduler.fire_next()  # Tue 09:00 unanswered list comes before the 09:30 prompt
    assert first.startswith("Unanswered ideas") and "Tue 24 Nov 2026 09:00" in first
    second = await scheduler.fire_next()
    assert second.startswith("Challenge prompt: Fairer rotas") and "Tue 24 Nov 2026 09:30" in second
    assert len(await queued(core, conversation="CROTA")) == 1
    ran = await scheduler.run_job("prompt:rotas")  # runs Wednesday's fire now; Tuesday's is claimed
    assert "Wed 25 Nov 2026 09:30" in ran
    assert "no scheduled job 'nope'" in (await scheduler.run_job("nope"))


async def test_run_digest_now_sends_a_preview_to_one_person_only(core: Core) -> None:
    scheduler = CampaignScheduler(core, node="a")
    result = await scheduler.run_digest_now(preview_to="slack:UASKER")
    assert result == "Digest preview sent to slack:UASKER."
    (row,) = await queued(core)
    assert (row.kind, row.user_ref) == ("direct", "UASKER")
    assert message_of(row).title.startswith("You said, we did")
    sent = await scheduler.run_digest_now()
    assert "slack:ULEAD" in sent and "slack:CALL" in sent


async def test_the_timer_starts_with_every_job_and_stops(core: Core) -> None:
    scheduler = CampaignScheduler(core, node="a")
    await scheduler.start()
    try:
        assert scheduler._timer is not None and scheduler._timer.running
        assert {job.id for job in scheduler._timer.get_jobs()} == set(scheduler.specs)
    finally:
        scheduler.shutdown()
    assert scheduler._timer is None


async def test_a_scheduled_leaders_digest_carries_the_chart_drawn_before_its_transaction(
    core: Core, clock: FixedClock
) -> None:
    # The leaders' digest job draws the chart in its prepare step (a worker thread), then claims and queues.
    scheduler = CampaignScheduler(core, node="a")
    assert scheduler.specs["digest:leaders"].prepare is not None

    await scheduler.fire("digest:leaders", datetime(2026, 11, 20, 16, tzinfo=UTC))

    (row,) = await queued(core, kind="direct")
    message = message_of(row)
    assert message.image_png is not None and message.image_png.startswith(b"\x89PNG")
    assert message.image_alt and "participation" in message.image_alt.lower()
