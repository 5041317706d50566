"""The people CSV (person, name, team, site, profession; optionally email, for Teams chat links): every row
checked first, all imported or none."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from bot.config import PLATFORMS
from bot.context import Core
from bot.errors import UserError
from storage import fika

COLUMNS = ("person", "name", "team", "site", "profession", "email")
MAX_LENGTH = 200


def _field(record: dict[str, Any], column: str) -> str | None:
    value = record.get(column)
    text = value.strip() if isinstance(value, str) else ""
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise UserError(f"{column} contains control characters")
    if len(text) > MAX_LENGTH:
        raise UserError(f"{column} is {len(text)} characters; the limit is {MAX_LENGTH}")
    return text or None


def parse_people(content: str) -> list[dict[str, Any]]:
    """Validates every row; raises UserError listing each bad row with its line number."""
    reader = csv.DictReader(io.StringIO(content))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in ("person",) if column not in fields]
    unknown = [column for column in fields if column not in COLUMNS]
    if missing or unknown:
        problem = f"missing: {', '.join(missing)}" if missing else f"unknown: {', '.join(unknown)}"
        raise UserError(f"The CSV needs the columns {', '.join(COLUMNS)} (only person is required); {problem}.")
    reader.fieldnames = fields
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        try:
            if None in record:
                raise UserError("has more values than the header has columns")
            row = {column: _field(record, column) for column in COLUMNS}
            ref = row.pop("person") or ""
            platform, _, user = ref.partition(":")
            if platform not in PLATFORMS or not user.strip():
                raise UserError(f"person {ref!r} must look like slack:U0123 or teams:<id> (platform:id)")
            if ref in seen:
                raise UserError(f"{ref} is already on line {seen[ref]}")
            seen[ref] = line
            rows.append({"ref": ref, **row})
        except UserError as error:
            problems.append(f"line {line}: {error.message}")
    if problems:
        raise UserError("Nothing was imported. Fix these rows:\n" + "\n".join(problems))
    if not rows:
        raise UserError("Nothing was imported: the CSV has a header but no people.")
    return rows


async def import_people(core: Core, rows: list[dict[str, Any]]) -> int:
    async with core.db.transaction() as session:
        return await fika.upsert_people(session, rows=rows, now=core.now())
