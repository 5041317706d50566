"""The campaign timeline (cumulative per day) and its chart."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.app import platform_traits
from bot.chart import campaign_chart_png
from bot.context import Core
from bot.digest import draw_digest_chart
from bot.handler import Bot
from bot.services.timeline import TimelinePoint, campaign_timeline
from storage.database import Database
from tests.factories import CM, FixedClock, make_config, say
from tests.sql_watch import assert_nothing_locked, statements_sent

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_timeline_is_cumulative_per_day_up_to_today(bot, core, clock) -> None:
    await say(bot, "slack:UAMY", "Shared handover notes")
    await say(bot, "slack:UBEN", "Quiet room for breaks")
    clock.advance(days=2)
    await say(bot, "slack:UAMY", "Second idea from Amy")
    await say(bot, "slack:UCAT", "Rota swaps in the app")
    clock.advance(days=1)
    async with core.db.transaction() as session:
        points = await campaign_timeline(core, session)
    assert points == [
        TimelinePoint(date(2026, 11, 23), 2, 2),
        TimelinePoint(date(2026, 11, 24), 2, 2),
        TimelinePoint(date(2026, 11, 25), 3, 4),
        TimelinePoint(date(2026, 11, 26), 3, 4),
    ]


async def test_timeline_leaves_out_merged_duplicates_and_is_empty_without_contributions(bot, core) -> None:
    async with core.db.transaction() as session:
        assert await campaign_timeline(core, session) == []
    await say(bot, "slack:UAMY", "Shared handover notes")
    await say(bot, "slack:UBEN", "Shared handover notes please")
    await say(bot, CM, "merge #2 into #1")
    async with core.db.transaction() as session:
        (point,) = await campaign_timeline(core, session)
    assert (point.participants, point.ideas) == (2, 1)


@pytest.mark.parametrize(("timezone", "before_midnight", "after_midnight"), [
    ("Europe/London", datetime(2026, 7, 1, 22, 50, tzinfo=UTC), datetime(2026, 7, 1, 23, 20, tzinfo=UTC)),  # BST
    ("Asia/Kathmandu", datetime(2026, 7, 1, 18, 10, tzinfo=UTC), datetime(2026, 7, 1, 18, 20, tzinfo=UTC)),  # +05:45
])
async def test_days_are_the_campaign_time_zone_s(db: Database, timezone: str, before_midnight: datetime,
                                                  after_midnight: datetime) -> None:
    config = make_config(campaign={"name": "Test campaign", "timezone": timezone, "audience_size": 100,
                                   "idea_max_length": 200})
    clock = FixedClock(before_midnight)
    platforms = frozenset({"slack", "playground"})
    core = Core(config, db, platforms=platforms, clock=clock, traits=platform_traits(platforms))
    await say(Bot(core), "slack:UAMY", "Shared handover notes")  # 23:50 / 23:55 local, 1 July
    clock.now = after_midnight
    await say(Bot(core), "slack:UBEN", "Quiet room for breaks")  # 00:20 / 00:05 local, 2 July
    async with core.db.transaction() as session:
        points = await campaign_timeline(core, session)
    assert points == [TimelinePoint(date(2026, 7, 1), 1, 1), TimelinePoint(date(2026, 7, 2), 2, 2)]


async def test_the_digest_chart_reads_its_timeline_outside_the_write_lock(bot, core) -> None:
    await say(bot, "slack:UAMY", "Shared handover notes")
    with statements_sent(core) as sent:
        png = await draw_digest_chart(core)
    assert png.startswith(PNG_SIGNATURE)
    assert_nothing_locked(core, sent)


def test_chart_is_a_png_with_and_without_points() -> None:
    points = [TimelinePoint(date(2026, 11, day), day, 2 * day) for day in range(1, 6)]
    drawn = campaign_chart_png(points, audience_size=50, title="Campaign so far")
    empty = campaign_chart_png([], audience_size=50, title="Campaign so far")
    assert drawn.startswith(PNG_SIGNATURE) and empty.startswith(PNG_SIGNATURE)
    assert drawn != empty


def test_the_chart_legend_stays_clear_of_the_lines_and_no_future_dates_show() -> None:
    from matplotlib.dates import num2date

    from bot.chart import campaign_chart

    points = [TimelinePoint(date(2026, 11, day), 10 * day, 12 * day) for day in range(1, 4)]
    figure = campaign_chart(points, audience_size=50, title="Campaign so far")
    figure.canvas.draw()
    axes = figure.axes[0]
    legend = axes.get_legend().get_window_extent()
    plot_area = axes.get_window_extent()

    assert legend.y0 >= plot_area.y1  # above the plot, where no line can run under it
    assert num2date(axes.get_xlim()[1]).date() == date(2026, 11, 3)  # ends on the last day, not a week on
    assert len(campaign_chart_png(points, audience_size=50, title="Campaign so far")) < 20_000  # small for Teams
