"""An idea hour's dashboard page: the closing summary's figures, top answers, promoted answers, and a chart of
answers per minute drawn as SVG with a text alternative and its data as a table. Every text is escaped."""

from __future__ import annotations

from html import escape

from adapters.dashboard.page import STYLE
from bot.hour.dashboard import HourPageData, MinuteCount

CHART_WIDTH, CHART_HEIGHT, AXIS = 720, 220, 28
BAR_COLOUR = "#005eb8"  # 7.1:1 against white: well past the 3:1 non-text contrast of WCAG 1.4.11


def chart_alt(data: HourPageData) -> str:
    points = data.per_minute
    total = sum(point.answers for point in points)
    if not total:
        return "Answers per minute: no answers yet."
    busiest = max(points, key=lambda point: point.answers)
    return (f"Answers per minute from {points[0].minute:%H:%M} to {points[-1].minute:%H:%M}: {total} answers; "
            f"the busiest minute was {busiest.minute:%H:%M} with {busiest.answers}.")


def chart_svg(data: HourPageData) -> str:
    """A bar per minute; the picture is one image to assistive technology, named by its title and description."""
    points = data.per_minute
    peak = max((point.answers for point in points), default=0) or 1
    width = (CHART_WIDTH - AXIS) / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        height = (CHART_HEIGHT - AXIS) * point.answers / peak
        bars.append(f'<rect x="{AXIS + index * width:.1f}" y="{CHART_HEIGHT - AXIS - height:.1f}" '
                    f'width="{max(width - 1, 1):.1f}" height="{height:.1f}" fill="{BAR_COLOUR}"/>')
    first, last = (points[0].minute, points[-1].minute) if points else (None, None)
    labels = (f'<text x="{AXIS}" y="{CHART_HEIGHT - 8}" font-size="12" fill="#1d1d1f">{first:%H:%M}</text>'
              f'<text x="{CHART_WIDTH}" y="{CHART_HEIGHT - 8}" font-size="12" fill="#1d1d1f" text-anchor="end">'
              f"{last:%H:%M}</text>" if first and last else "")
    return (f'<svg id="hour-chart" role="img" aria-labelledby="hour-chart-title hour-chart-desc" '
            f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="100%" style="max-width:{CHART_WIDTH}px">'
            f'<title id="hour-chart-title">Answers per minute</title>'
            f'<desc id="hour-chart-desc">{escape(chart_alt(data))}</desc>'
            f'<line x1="{AXIS}" y1="{CHART_HEIGHT - AXIS}" x2="{CHART_WIDTH}" y2="{CHART_HEIGHT - AXIS}" '
            f'stroke="#1d1d1f"/>{"".join(bars)}'
            f'<text x="2" y="14" font-size="12" fill="#1d1d1f">{peak}</text>{labels}</svg>')


def _minute_rows(points: tuple[MinuteCount, ...]) -> str:
    return "".join(f'<tr><th scope="row">{point.minute:%H:%M}</th><td class="num">{point.answers}</td></tr>'
                   for point in points)


def _questions(data: HourPageData) -> str:
    parts = ['<section aria-labelledby="questions-h"><h2 id="questions-h">Answers per question</h2>']
    for question in data.report.figures.questions:
        position = question.question.position
        parts.append(f'<h3 id="q{position}">Q{position}: {escape(question.question.text)} '
                     f'({len(question.answers)} answers)</h3>')
        if not question.top:
            parts.append('<p class="muted">No answer has been agreed with yet.</p>')
            continue
        rows = "".join(f'<tr><td class="num">{rank}</td><td>{escape(top.answer.text)}</td>'
                       f'<td class="num">{top.number}</td><td class="num">{top.agreements}</td></tr>'
                       for rank, top in enumerate(question.top, start=1))
        parts.append(f'<table class="top-answers"><caption>Most agreed with, Q{position}</caption><thead><tr>'
                     '<th scope="col" class="num">Rank</th><th scope="col">Answer</th>'
                     '<th scope="col" class="num">Answer number</th><th scope="col" class="num">Agree</th></tr>'
                     f"</thead><tbody>{rows}</tbody></table>")
    return "".join(parts) + "</section>"


def _promoted(data: HourPageData) -> str:
    head = '<section aria-labelledby="promoted-h"><h2 id="promoted-h">Answers that became ideas</h2>'
    if not data.promoted:
        return head + '<p class="muted">None yet.</p></section>'
    rows = "".join(f'<tr><td class="num">Q{p.question}</td><td class="num">{p.answer}</td>'
                   f'<td class="num">{escape(p.idea)}</td></tr>' for p in data.promoted)
    return (head + '<table id="promoted"><thead><tr><th scope="col" class="num">Question</th>'
            '<th scope="col" class="num">Answer number</th><th scope="col" class="num">Idea</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def render_hour_page(data: HourPageData, *, query: str = "") -> str:
    report, figures = data.report, data.report.figures
    facts = (("People taking part", figures.people), ("First time in this campaign", figures.first_timers),
             ("Answers", figures.answers))
    items = "".join(f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>" for label, value in facts)
    cut = (f'<p class="muted">The chart shows the first {len(data.per_minute)} minutes.</p>'
           if data.cut_short else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Idea hour · {escape(report.title)}</title><style>{STYLE}</style></head>
<body><header><p><a href="/dashboard{escape(query)}">Back to the campaign dashboard</a></p>
<h1>Idea hour: {escape(report.title)}</h1><p class="muted">#{escape(report.key)} · from {escape(report.started)}
to {escape(report.ended)}. The same figures as the hour's closing post and <code>crowdbot hour report</code>.</p>
</header><main>
<section aria-labelledby="hour-figures-h"><h2 id="hour-figures-h">Figures</h2>
<dl class="figures" id="hour-figures">{items}</dl></section>
<section aria-labelledby="minute-h"><h2 id="minute-h">Answers per minute</h2>{chart_svg(data)}{cut}
<details><summary>The chart as a table</summary><table id="per-minute"><caption>Answers per minute</caption>
<thead><tr><th scope="col">Minute</th><th scope="col" class="num">Answers</th></tr></thead>
<tbody>{_minute_rows(data.per_minute)}</tbody></table></details></section>
{_questions(data)}
{_promoted(data)}
</main></body></html>"""
