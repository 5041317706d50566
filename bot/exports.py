"""One row per idea for CSV and XLSX exports: the author's id and display name, both blank when anonymous."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.services.ideas import idea_views
from storage import ideas

COLUMNS = ("number", "challenge", "text", "author", "author_name", "status", "horizon", "themes", "votes", "comments",
           "created", "last_decision_note", "merged_into")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


async def idea_rows(core: Core, session: AsyncSession) -> list[dict[str, object]]:
    views = await idea_views(core, session, await ideas.all_ideas(session))
    rows = []
    for view in views:
        idea = view.idea
        rows.append({
            "number": idea.number, "challenge": idea.challenge_key, "text": idea.text,
            "author": "" if idea.anonymous else idea.author_ref,
            "author_name": "" if idea.anonymous else view.author, "status": idea.status,
            "horizon": idea.horizon or "", "themes": "; ".join(view.themes), "votes": view.votes,
            "comments": view.comments, "created": idea.created_at.isoformat(timespec="seconds"),
            "last_decision_note": view.last_decision.note if view.last_decision else "",
            "merged_into": view.merged_into_number or "",
        })
    return rows


def _spreadsheet_safe(value: object) -> object:
    # Text starting with = + - @ would run as a formula in Excel; a leading quote keeps it text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Sequence[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def to_xlsx(rows: Sequence[dict[str, object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ideas"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_spreadsheet_safe(row[column]) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
