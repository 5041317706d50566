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

from bot.compose import named_author
from bot.context import Core
from storage.exports import ExportPage, export_page

COLUMNS = ("number", "challenge", "text", "author", "author_name", "status", "horizon", "themes", "votes", "comments",
           "created", "last_decision_note", "merged_into")
EXPORT_PAGE_SIZE = 1000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[object, ...]  # one value per column of COLUMNS, in that order


def _rows(page: ExportPage) -> list[Row]:
    themes, comments, notes = page.themes, page.comments, page.last_notes
    return [
        (number, challenge, text, "" if anonymous else ref, "" if anonymous else named_author(ref, name),
         status, horizon or "", "; ".join(themes.get(idea_id, ())), votes, comments.get(idea_id, 0), created,
         notes.get(idea_id, ""), merged_into or "")
        for idea_id, number, challenge, text, ref, anonymous, status, horizon, votes, created, merged_into, name
        in page.ideas
    ]


async def idea_pages(core: Core, session: AsyncSession, *,
                     page_size: int = EXPORT_PAGE_SIZE) -> AsyncIterator[list[Row]]:
    """The export's rows in order of idea number, one page at a time."""
    after = 0
    while True:
        page = await export_page(session, after_number=after, limit=page_size)
        if not page.ideas:
            return
        yield _rows(page)
        after = page.ideas[-1][1]


async def idea_rows(core: Core, session: AsyncSession) -> list[dict[str, object]]:
    """Every row at once, by column name: for small callers and tests; exports use `idea_pages`."""
    return [dict(zip(COLUMNS, row, strict=True)) async for page in idea_pages(core, session) for row in page]


def _spreadsheet_safe(value: object) -> object:
    # Text starting with = + - @ would run as a formula in Excel; a leading quote keeps it text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _spreadsheet_safe_row(row: Row) -> Row:
    for value in row:
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return tuple(map(_spreadsheet_safe, row))
    return row  # the common case: nothing to quote, no new tuple


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()


def csv_chunk(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(map(_spreadsheet_safe_row, rows))
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
            self.sheet.append(list(map(_spreadsheet_safe, row)))

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
