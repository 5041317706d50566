"""One row per idea for CSV and XLSX exports: the author's id and display name, both blank when anonymous.

Exports read a snapshot page by page (a thousand ideas at a time), so memory stays flat at any size, no query
carries more ids than a driver allows (asyncpg takes at most 32,767 arguments), writers are never held up, and
formatting runs in a worker thread rather than on the event loop.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from typing import IO

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import author_label
from bot.context import Core
from storage.exports import ExportedIdea, export_page

COLUMNS = ("number", "challenge", "text", "author", "author_name", "status", "horizon", "themes", "votes", "comments",
           "created", "last_decision_note", "merged_into")
EXPORT_PAGE_SIZE = 1000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, object]


def _row(idea: ExportedIdea, themes: list[str], names: dict[str, str]) -> Row:
    return {
        "number": idea.number, "challenge": idea.challenge_key, "text": idea.text,
        "author": "" if idea.anonymous else idea.author_ref,
        "author_name": "" if idea.anonymous else author_label(idea, names), "status": idea.status,
        "horizon": idea.horizon or "", "themes": "; ".join(themes), "votes": idea.votes,
        "comments": idea.comments, "created": idea.created_at.isoformat(timespec="seconds"),
        "last_decision_note": idea.last_decision_note or "",
        "merged_into": idea.merged_into_number or "",
    }


async def idea_pages(core: Core, session: AsyncSession, *,
                     page_size: int = EXPORT_PAGE_SIZE) -> AsyncIterator[list[Row]]:
    """The export's rows in order of idea number, one page at a time."""
    after = 0
    while True:
        page = await export_page(session, after_number=after, limit=page_size)
        if not page.ideas:
            return
        names = {idea.author_ref: idea.author_name for idea in page.ideas if idea.author_name and not idea.anonymous}
        yield [_row(idea, page.themes[idea.id], names) for idea in page.ideas]
        after = page.ideas[-1].number


async def idea_rows(core: Core, session: AsyncSession) -> list[Row]:
    """Every row at once: for small callers and tests; exports use `idea_pages`."""
    return [row async for page in idea_pages(core, session) for row in page]


def _spreadsheet_safe(value: object) -> object:
    # Text starting with = + - @ would run as a formula in Excel; a leading quote keeps it text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()


def csv_chunk(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    for row in rows:
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def to_csv(rows: Sequence[Row]) -> str:
    return csv_header() + csv_chunk(rows)


async def write_csv(pages: AsyncIterator[list[Row]], out: IO[str]) -> int:
    """Streams the pages to `out`; returns how many rows were written."""
    out.write(csv_header())
    written = 0
    async for page in pages:
        out.write(await asyncio.to_thread(csv_chunk, page))
        written += len(page)
    return written


class XlsxBuilder:
    """A write-only workbook (rows are streamed to a temporary file, not kept as cell objects)."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Ideas")
        self.sheet.append(list(COLUMNS))

    def add(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.sheet.append([_spreadsheet_safe(row[column]) for column in COLUMNS])

    def save(self, target: IO[bytes]) -> None:
        self.workbook.save(target)


async def write_xlsx(pages: AsyncIterator[list[Row]], target: IO[bytes]) -> int:
    builder = XlsxBuilder()
    written = 0
    async for page in pages:
        await asyncio.to_thread(builder.add, page)
        written += len(page)
    await asyncio.to_thread(builder.save, target)
    return written


def to_xlsx(rows: Sequence[Row]) -> bytes:
    builder = XlsxBuilder()
    builder.add(rows)
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()
