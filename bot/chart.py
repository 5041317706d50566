"""Campaign charts as PNG bytes (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: servers and CI have no display

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DayLocator  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.services.timeline import TimelinePoint  # noqa: E402

PALETTE_COLOURS = 32  # a line chart needs few colours: a palette PNG is a third of the size (Teams counts bytes)
MAX_TICKS = 8
PARTICIPANTS_COLOUR = "#005eb8"  # dark enough for contrast on white, distinguishable in greyscale
IDEAS_COLOUR = "#b35900"


def campaign_chart_png(points: Sequence[TimelinePoint], *, audience_size: int, title: str) -> bytes:
    """Participation (% of the audience, left axis) and ideas (right axis), cumulative per day, as a PNG."""
    figure = campaign_chart(points, audience_size=audience_size, title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return _palette_png(buffer.getvalue())


def campaign_chart(points: Sequence[TimelinePoint], *, audience_size: int, title: str) -> Figure:
    figure = Figure(figsize=(8, 3.6), dpi=100)
    axes = figure.add_subplot()
    figure.suptitle(title)
    if not points:
        axes.text(0.5, 0.5, "No contributions yet", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    else:
        if points[0].participants or points[0].ideas:  # start from zero the day before, so a line shows
            points = [TimelinePoint(points[0].day - timedelta(days=1), 0, 0), *points]
        # matplotlib's unit converters take dates as they are; its type stubs only know numbers.
        days: Any = [point.day for point in points]
        rate = [100.0 * point.participants / audience_size if audience_size else 0.0 for point in points]
        axes.plot(days, rate, color=PARTICIPANTS_COLOUR, linewidth=2, marker="o", markersize=3,
                  label="Participation (% of audience)")
        axes.set_ylabel("Participation (%)", color=PARTICIPANTS_COLOUR)
        axes.set_ylim(bottom=0)
        ideas_axes = axes.twinx()
        ideas_axes.plot(days, [point.ideas for point in points], color=IDEAS_COLOUR, linewidth=2,
                        linestyle="--", marker="s", markersize=3, label="Ideas")
        ideas_axes.set_ylabel("Ideas", color=IDEAS_COLOUR)
        ideas_axes.set_ylim(bottom=0)
        ideas_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        handles = axes.get_lines() + ideas_axes.get_lines()
        # Above the plot, never over the lines (which climb towards the upper left and right).
        axes.legend(handles, [str(line.get_label()) for line in handles], loc="lower center", ncols=2,
                    bbox_to_anchor=(0.5, 1.0), frameon=False)
        axes.grid(axis="y", alpha=0.3)
        axes.set_xlim(days[0], days[-1])  # the timeline ends today: no empty future dates
        axes.xaxis.set_major_locator(DayLocator(interval=max(1, -(-len(days) // MAX_TICKS))))
        if len(days) > 60:
            locator = AutoDateLocator(minticks=3, maxticks=MAX_TICKS)
            axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(axes.xaxis.get_major_locator()))
    figure.tight_layout()
    return figure


def _palette_png(png: bytes) -> bytes:
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(colors=PALETTE_COLOURS, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
