"""One row per idea for CSV and XLSX exports: the author's id and display name, both blank when anonymous.

Exports read a snapshot page by page (a thousand ideas at a time), so memory stays flat at any size, no query
carries more ids than a driver allows (asyncpg takes at most 32,767 arguments) and writers are never held up.
Rows are formatted on the event loop in slices of a hundred, with a turn of the loop between slices: a worker
thread would not free the loop, since it holds the GIL while it formats and every wake-up of a vote's
transaction then waits for the interpreter's 5 ms switch interval (writes waited up to 50-75 ms that way here).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import aclosing
from typing import IO

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import named_author
from bot.context import Core
from storage.exports import ExportPage, export_page

COLUMNS = ("number", "challenge", "text", "author", "author_name", "status", "horizon", "themes", "votes", "comments",
           "created", "last_decision_note", "merged_into")
EXPORT_PAGE_SIZE = 1000
SLICE = 100  # rows formatted between two turns of the event loop (a few hundred microseconds of work)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A CSV field starting with one of those, after a comma or a line break (searched with a line break in front, for
# the first field); one starting with a carriage return is always quoted, and a bare one ends the line. It can also
# match inside a quoted field ("a,=b"): the rows are then written value by value, which is only slower.
_FORMULA_FIELD = re.compile(r'[,\n](?:"?[=+\-@\t]|"\r)')

Row = tuple[object, ...]  # one value per column of COLUMNS, in that order


def _rows(page: ExportPage, start: int, stop: int) -> list[Row]:
    themes, comments, notes = page.themes, page.comments, page.last_notes
    return [
        (number, challenge, text, "" if anonymous else ref, "" if anonymous else named_author(ref, name),
         status, horizon or "", "; ".join(themes.get(idea_id, ())), votes, comments.get(idea_id, 0), created,
         notes.get(idea_id, ""), merged_into or "")
        for idea_id, number, challenge, text, ref, anonymous, status, horizon, votes, created, merged_into, name
        in page.ideas[start:stop]
    ]


async def _formatted(page: ExportPage) -> list[Row]:
    rows: list[Row] = []
    for start in range(0, len(page.ideas), SLICE):
        rows += _rows(page, start, start + SLICE)
        await asyncio.sleep(0)  # let waiting requests (votes) run between slices
    return rows


async def idea_pages(core: Core, session: AsyncSession, *,
                     page_size: int = EXPORT_PAGE_SIZE) -> AsyncGenerator[list[Row], None]:
    """The export's rows in order of idea number, one page at a time. Close it when stopping early
    (`contextlib.aclosing`), before the session ends: it reads a page ahead.

    The next page is read while this one is formatted and written by the caller: the database's time and ours
    overlap instead of adding up."""
    page = await export_page(session, after_number=0, limit=page_size)
    while page.ideas:
        reading = asyncio.ensure_future(export_page(session, after_number=page.ideas[-1][1], limit=page_size))
        try:
            yield await _formatted(page)
        except BaseException:
            # The caller stopped early or failed: the read must not outlive this generator (it uses the session).
            await asyncio.wait([reading])
            if not reading.cancelled():
                reading.exception()  # retrieved, so asyncio does not report it as lost; the caller's error wins
            raise
        page = await reading


async def idea_rows(core: Core, session: AsyncSession) -> list[dict[str, object]]:
    """Every row at once, by column name: for small callers and tests; exports use `idea_pages`."""
    async with aclosing(idea_pages(core, session)) as pages:
        return [dict(zip(COLUMNS, row, strict=True)) async for page in pages for row in page]


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
    csv.writer(buffer).writerows(rows)
    text = buffer.getvalue()
    if _FORMULA_FIELD.search("\n" + text) is None:
        return text  # the common case, checked in C rather than value by value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(map(_spreadsheet_safe_row, rows))
    return buffer.getvalue()


def to_csv(rows: Sequence[Row]) -> str:
    return csv_header() + csv_chunk(rows)


async def csv_pieces(rows: Sequence[Row]) -> AsyncIterator[str]:
    """A page as CSV text, a slice at a time, with a turn of the event loop between slices."""
    for start in range(0, len(rows), SLICE):
        yield csv_chunk(rows[start:start + SLICE])
        await asyncio.sleep(0)


async def write_csv(pages: AsyncGenerator[list[Row], None], out: IO[str]) -> int:
    """Streams the pages to `out`; returns how many rows were written."""
    out.write(csv_header())
    written = 0
    async with aclosing(pages):  # on an error, the page being read ahead is finished before the session closes
        async for page in pages:
            async for piece in csv_pieces(page):
                out.write(piece)
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


async def write_xlsx(pages: AsyncGenerator[list[Row], None], target: IO[bytes]) -> int:
    builder = XlsxBuilder()
    written = 0
    async with aclosing(pages):
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
