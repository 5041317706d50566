"""The dashboard's sensemaking pages as HTML: a challenge's suggested themes (each a form: the theme's name and a
tick per idea, so a manager can rename it or leave ideas out before applying) and its probable duplicates (a Merge
button per pair). Every text is escaped; forms post back to the same page."""

from __future__ import annotations

from html import escape

from adapters.dashboard.page import STYLE
from bot.compose import shorten
from bot.services.sensemaking_board import DuplicatesBoard, ThemesBoard

FORM_STYLE = """
button { font: inherit; padding: .3rem .8rem; border: 2px solid #005eb8; border-radius: 6px; background: #fff;
  color: #005eb8; cursor: pointer; } button:focus-visible, input:focus-visible { outline: 3px solid #ffbf47; }
label { display: block; } input[type=text] { font: inherit; padding: .2rem .4rem; max-width: 100%; }
fieldset { border: 1px solid #c8c8cc; border-radius: 8px; margin: .8rem 0; padding: .6rem .9rem; }
.ideas { list-style: none; padding-left: 0; } .ideas li { margin: .15rem 0; } .note { font-weight: 600; }
"""
TEXT_SHOWN = 200  # characters of an idea's text on these pages; the full text is on the idea's post


def _opening(title: str, blurb: str, query: str, note: str | None) -> str:
    """The page's head, header and the outcome of the form just sent, if any; `blurb` is trusted HTML."""
    # role="status": a screen reader announces the outcome of the form just sent (WCAG 4.1.3).
    outcome = f'<p class="note" role="status" id="outcome">{escape(note)}</p>' if note else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}{FORM_STYLE}</style></head>
<body><header><p><a href="/dashboard{escape(query)}">Back to the campaign dashboard</a></p>
<h1>{escape(title)}</h1><p class="muted">{blurb}</p></header><main>{outcome}"""


def render_themes(board: ThemesBoard, *, query: str = "", note: str | None = None) -> str:
    title = f"Suggested themes: {board.challenge.title}"
    parts = [_opening(title, "Groups of this challenge's ideas that say related things, each with a name taken "
                      "from its key terms. Nothing is themed until you apply it: rename the theme or untick ideas "
                      "first if you wish.", query, note)]
    if not board.suggestions:
        parts.append('<p class="muted">This challenge has too few ideas to group yet.</p>')
    for position, suggestion in enumerate(board.suggestions, start=1):
        field = f"theme-{position}"
        ticks = "".join(
            f'<li><label><input type="checkbox" name="idea" value="{number}" checked> '
            f"#{number} {escape(shorten(board.texts.get(number, ''), TEXT_SHOWN))}</label></li>"
            for number in suggestion.ideas)
        representative = "".join(f"<li>#{n} {escape(shorten(board.texts.get(n, ''), TEXT_SHOWN))}</li>"
                                 for n in suggestion.representative)
        terms = ", ".join(shorten(term, 30) for term in suggestion.terms)
        parts.append(
            f'<section aria-labelledby="group-{position}-h"><h2 id="group-{position}-h">Group {position}: '
            f"{escape(suggestion.theme)} ({len(suggestion.ideas)} ideas)</h2>"
            f'<p class="muted">Key terms: {escape(terms)}</p><p>Most representative:</p><ul>{representative}</ul>'
            f'<form method="post" action="{escape(query) or "?"}"><fieldset><legend>Apply this theme</legend>'
            f'<label for="{field}">Theme name</label><input type="text" id="{field}" name="theme" '
            f'value="{escape(suggestion.theme)}" maxlength="60" required>'
            f'<details><summary>The {len(suggestion.ideas)} ideas it goes to</summary>'
            f'<ul class="ideas">{ticks}</ul></details>'
            f"<button type=\"submit\">Apply to the ticked ideas</button></fieldset></form></section>")
    parts.append("</main></body></html>")
    return "".join(parts)


def render_duplicates(board: DuplicatesBoard, *, query: str = "", note: str | None = None) -> str:
    title = f"Probable duplicates: {board.challenge.title}"
    parts = [_opening(title, "Pairs of this challenge's ideas that probably say the same thing, scored as the "
                      "similar-ideas check scores them. Merging folds the newer idea into the older: votes count "
                      "once per person, and <code>unmerge #N</code> in chat undoes it.", query, note)]
    if not board.pairs:
        parts.append('<p class="muted">No pairs look alike.</p>')
    else:
        rows = "".join(
            f'<tr><td class="num">#{p.survivor}</td><td>{escape(shorten(board.texts.get(p.survivor, ""), TEXT_SHOWN))}'
            f'</td><td class="num">#{p.duplicate}</td>'
            f'<td>{escape(shorten(board.texts.get(p.duplicate, ""), TEXT_SHOWN))}</td>'
            f'<td class="num">{p.score:.2f}</td><td><form method="post" action="{escape(query) or "?"}">'
            f'<input type="hidden" name="duplicate" value="{p.duplicate}">'
            f'<input type="hidden" name="survivor" value="{p.survivor}">'
            f'<button type="submit">Merge #{p.duplicate} into #{p.survivor}</button></form></td></tr>'
            for p in board.pairs)
        parts.append('<table id="duplicates"><caption>Probable duplicates, most alike first</caption><thead><tr>'
                     '<th scope="col" class="num">Older idea</th><th scope="col">Text</th>'
                     '<th scope="col" class="num">Newer idea</th><th scope="col">Text</th>'
                     '<th scope="col" class="num">Similarity</th><th scope="col">Action</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    parts.append("</main></body></html>")
    return "".join(parts)
