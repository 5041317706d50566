"""The dashboard page: pure HTML from DashboardData, every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.compare.score import Preference
from bot.compose import IdeaView, horizon_label, shorten, status_label
from bot.services.dashboard import DashboardData

STYLE = """
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; font: 16px/1.45 system-ui, sans-serif; color: #1d1d1f; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .6rem; }
.figures div { border: 1px solid #c8c8cc; border-radius: 8px; padding: .5rem .8rem; background: #f2f4f7; }
.figures dt { font-size: .85rem; color: #4a4a4f; } .figures dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
table { border-collapse: collapse; margin: .4rem 0; } th, td { text-align: left; padding: .25rem .7rem;
  border-bottom: 1px solid #c8c8cc; vertical-align: top; } th { background: #f2f4f7; }
td.num, th.num { text-align: right; } .columns { display: flex; flex-wrap: wrap; gap: 2rem; }
img { max-width: 100%; height: auto; } a { color: #005eb8; } a:focus-visible { outline: 3px solid #ffbf47; }
.muted { color: #4a4a4f; } td, th, dd { overflow-wrap: anywhere; }
summary:focus-visible { outline: 3px solid #ffbf47; }
@media (max-width: 40rem) { body { padding: .6rem; } th, td { padding: .2rem .35rem; } }
"""


def _figures(data: DashboardData) -> str:
    items = "".join(f"<div><dt>{escape(f.label)}</dt><dd>{escape(f.value)}</dd></div>" for f in data.figures)
    return f'<section aria-labelledby="figures-h"><h2 id="figures-h">Figures</h2><dl class="figures" id="figures">' \
           f"{items}</dl></section>"


def _count_table(caption: str, table_id: str, rows: Sequence[tuple[str, int]]) -> str:
    body = "".join(f'<tr><th scope="row">{escape(label)}</th><td class="num">{count}</td></tr>'
                   for label, count in rows)
    return (f'<table id="{table_id}"><caption>{escape(caption)}</caption><thead><tr><th scope="col">'
            f'{escape(caption.split(" by ")[-1].capitalize())}</th><th scope="col" class="num">Ideas</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")


def _preference_cell(preference: Preference | None) -> str:
    if preference is None:
        return '<td class="num"><span class="muted">not compared</span></td>'
    count = preference.comparisons
    return (f'<td class="num">{preference.score:.0f} <span class="muted">({count} comparison'
            f"{'s' if count != 1 else ''})</span></td>")


def _idea_rows(views: Sequence[IdeaView], with_challenge: bool, preference: dict[int, Preference]) -> str:
    rows = []
    for view in views:
        idea = view.idea
        challenge = f"<td>{escape(view.challenge_title)}</td>" if with_challenge else ""
        note = escape(view.last_decision.note) if view.last_decision else ""
        # view.author is the stored display name, "anonymous" or "a former participant": never an anonymous id.
        rows.append(f'<tr><td class="num">#{idea.number}</td><td>{escape(shorten(idea.text, 160))}</td>'
                    f'<td class="author">{escape(view.author)}</td>{challenge}'
                    f'<td>{escape(status_label(idea.status))}</td><td class="num">{view.votes}</td>'
                    f"{_preference_cell(preference.get(idea.id))}<td>{note}</td></tr>")  # type: ignore[arg-type]
    return "".join(rows)


# The column's header says what the number is: screen readers read the abbr's title too.
PREFERENCE_HEADER = ('<th scope="col" class="num"><abbr title="A or B? score: the estimated chance, out of 100, '
                     'that people choose the idea over another of its challenge picked at random">Preference</abbr>'
                     "</th>")


def _top(data: DashboardData, query: str) -> str:
    parts = ['<section aria-labelledby="top-h"><h2 id="top-h">Top ideas per challenge</h2>']
    for top in data.top_by_challenge:
        parts.append(f"<h3>{escape(top.title)}</h3>"
                     f'<p><a href="/dashboard/challenges/{escape(top.key)}/themes{query}">Suggested themes</a> · '
                     f'<a href="/dashboard/challenges/{escape(top.key)}/duplicates{query}">Probable duplicates</a></p>')
        if not top.ideas:
            parts.append('<p class="muted">No ideas yet.</p>')
            continue
        parts.append('<table class="top"><thead><tr><th scope="col">Idea</th><th scope="col">Text</th>'
                     '<th scope="col">By</th><th scope="col">Status</th><th scope="col" class="num">Votes</th>'
                     f'{PREFERENCE_HEADER}<th scope="col">Decision</th>'
                     f"</tr></thead><tbody>{_idea_rows(top.ideas, False, data.preference)}</tbody></table>")
    return "".join(parts) + "</section>"


def _quick_wins(data: DashboardData) -> str:
    heading = ('<section aria-labelledby="quick-h"><h2 id="quick-h">Quick wins directory</h2>'
               f'<p class="muted">Ideas marked {escape(horizon_label("H1"))} that are in progress or done.</p>')
    if not data.quick_wins:
        return heading + '<p class="muted">No quick wins in progress or done yet.</p></section>'
    return (heading + '<table id="quick-wins"><thead><tr><th scope="col">Idea</th><th scope="col">Text</th>'
            '<th scope="col">By</th><th scope="col">Challenge</th><th scope="col">Status</th>'
            f'<th scope="col" class="num">Votes</th>{PREFERENCE_HEADER}<th scope="col">Decision</th></tr></thead>'
            f"<tbody>{_idea_rows(data.quick_wins, True, data.preference)}</tbody></table></section>")


def _fika(data: DashboardData) -> str:
    if data.fika is None:
        return ""
    facts = "".join(f"<div><dt>{escape(f.label)}</dt><dd>{escape(f.value)}</dd></div>" for f in data.fika.fields)
    lines = "".join(f"<li>{escape(line)}</li>" for section in data.fika.sections for line in section.lines)
    return ('<section aria-labelledby="fika-h"><h2 id="fika-h">Randomised fika</h2>'
            f'<dl class="figures" id="fika">{facts}</dl><ul id="fika-participation">{lines}</ul></section>')


def _hours(data: DashboardData, query: str) -> str:
    if not data.hours:
        return ""
    items = "".join(f'<li><a href="/dashboard/hours/{escape(key)}{query}">{escape(title)}</a> ({escape(state)})</li>'
                    if state != "not started" else f"<li>{escape(title)} (not started)</li>"
                    for key, title, state in data.hours)
    return f'<section aria-labelledby="hours-h"><h2 id="hours-h">Idea hours</h2><ul id="hours">{items}</ul></section>'


def chart_alt(data: DashboardData) -> str:
    if not data.timeline:
        return "Participation and ideas over time: no contributions yet."
    last = data.timeline[-1]
    return (f"Participation and ideas over time, from {data.timeline[0].day:%d %b %Y} to {last.day:%d %b %Y}: "
            f"{last.participants} of {data.audience_size} people have taken part and {last.ideas} ideas were shared.")


def chart_data_table(data: DashboardData) -> str:
    """The chart's figures as a table, for people who cannot see the chart (WCAG 1.1.1)."""
    rows = "".join(f'<tr><th scope="row">{point.day:%d %b %Y}</th><td class="num">{point.participants}</td>'
                   f'<td class="num">{point.ideas}</td></tr>' for point in data.timeline)
    return ('<details><summary>The chart as a table</summary><table id="chart-data"><caption>Participation and ideas '
            'by day</caption><thead><tr><th scope="col">Day</th><th scope="col" class="num">People taking part'
            f'</th><th scope="col" class="num">Ideas</th></tr></thead><tbody>{rows}</tbody></table></details>')


def render_dashboard(data: DashboardData, *, query: str = "") -> str:
    """query: '?token=...' to keep on links when the token came in the address."""
    horizons = [(horizon_label(h) if h != "none" else "not set", n) for h, n in data.by_horizon]
    statuses = [(status_label(s), n) for s, n in data.by_status]
    q = escape(query)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard · {escape(data.campaign)}</title><style>{STYLE}</style></head>
<body><header><h1>{escape(data.campaign)}</h1><p class="muted">Campaign dashboard for community managers and leaders.
Participation is measured against an audience of {data.audience_size}.</p></header><main>
{_figures(data)}
<section aria-labelledby="chart-h"><h2 id="chart-h">Participation and ideas over time</h2>
<img id="chart" src="/dashboard/chart.png{q}" alt="{escape(chart_alt(data))}" width="800" height="360">
{chart_data_table(data)}</section>
<section aria-labelledby="split-h"><h2 id="split-h">Ideas by status and horizon</h2><div class="columns">
{_count_table("Ideas by status", "by-status", statuses)}{_count_table("Ideas by horizon", "by-horizon", horizons)}
</div></section>
{_top(data, q)}
{_quick_wins(data)}
{_fika(data)}
{_hours(data, q)}
<section aria-labelledby="export-h"><h2 id="export-h">Export</h2><ul>
<li><a href="/dashboard/export.csv{q}" download>All ideas as CSV</a></li>
<li><a href="/dashboard/export.xlsx{q}" download>All ideas as Excel (XLSX)</a></li></ul></section>
</main></body></html>"""
