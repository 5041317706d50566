"""The campaign timeline (cumulative per day) and its chart."""

from __future__ import annotations

from datetime import date

from bot.chart import campaign_chart_png
from bot.services.timeline import TimelinePoint, campaign_timeline
from tests.factories import CM, say

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
