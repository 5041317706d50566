"""Importing ideas gathered offline (workshops, paper forms) from CSV: all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.context import Core
from bot.errors import UserError
from bot.patient_data import refuse_patient_data
from bot.services.ideas import submit_idea
from bot.services.validation import clean_text

REQUIRED_COLUMNS = ("challenge", "text")
TRUE_WORDS = {"1", "true", "yes", "y", "anonymous", "anon"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


@dataclass(frozen=True)
class ImportRow:
    line: int
    challenge_key: str
    text: str
    author_ref: str
    anonymous: bool


def parse_csv(core: Core, content: str) -> list[ImportRow]:
    """Validates every row first; raises UserError listing each bad row with its line number."""
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise UserError(f"The CSV needs the columns challenge, text, author, anonymous; missing: {', '.join(missing)}.")
    rows, problems = [], []
    for line, record in enumerate(reader, start=2):
        try:
            key = (record.get("challenge") or "").strip().lower()
            if core.config.challenge(key) is None:
                raise UserError(f"unknown challenge {key!r}")
            text = clean_text(record.get("text") or "", what="idea", limit=core.config.campaign.idea_max_length)
            refuse_patient_data(text, what="idea", settings=core.config.data_protection)
            anonymous_word = (record.get("anonymous") or "").strip().lower()
            if anonymous_word not in TRUE_WORDS | FALSE_WORDS:
                raise UserError(f"anonymous must be yes or no, not {anonymous_word!r}")
            author = (record.get("author") or "").strip()
            author_ref = author if ":" in author else f"import:{author or 'workshop'}"
            rows.append(ImportRow(line, key, text, author_ref, anonymous_word in TRUE_WORDS))
        except UserError as error:
            problems.append(f"line {line}: {error.message}")
    if problems:
        raise UserError("Nothing was imported. Fix these rows:\n" + "\n".join(problems))
    return rows


async def import_ideas(core: Core, rows: list[ImportRow]) -> int:
    async with core.db.transaction() as session:
        for row in rows:
            challenge = core.config.challenge(row.challenge_key)
            assert challenge is not None
            try:
                await submit_idea(core, session, author_ref=row.author_ref, challenge=challenge, text=row.text,
                                  anonymous=row.anonymous)
            except UserError as error:
                raise UserError(f"Nothing was imported. line {row.line}: {error.message}") from None
    return len(rows)
