"""The export's rows, read a page at a time with the next page read ahead: every column as the CSV has always
written it, whichever page an idea's themes, comments and notes fall on."""

from __future__ import annotations

import asyncio
import csv
import io
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

from bot.context import Core
from bot.exports import COLUMNS, _spreadsheet_safe, csv_chunk, csv_header, csv_pieces, idea_pages, write_csv
from storage.database import Database
from storage.erasure import FORMER_PARTICIPANT
from storage.models import Comment, DisplayName, Idea, IdeaTheme, Participant, StatusChange

# The last microsecond of a second: the export writes whole seconds, truncated as isoformat() truncates them.
CREATED = datetime(2026, 11, 30, 21, 5, 59, 999999, tzinfo=UTC)


async def _seed(db: Database) -> None:
    async with db.transaction() as session:
        session.add_all([
            Participant(ref="slack:U1", display_name="Ada Stored", first_seen=CREATED),
            Participant(ref="slack:U2", display_name="", first_seen=CREATED),
            DisplayName(ref="slack:U2", name="Bo From Slack", updated_at=CREATED),
        ])
        ideas = [
            Idea(number=1, challenge_key="wellbeing", text="Quiet room on ward 7", author_ref="slack:U1",
                 status="in_progress", horizon="h1", vote_count=3, created_at=CREATED, updated_at=CREATED),
            Idea(number=2, challenge_key="wellbeing", text="=SUM(A1) as a formula", author_ref="slack:U2",
                 anonymous=True, vote_count=0, created_at=CREATED + timedelta(days=1), updated_at=CREATED),
            Idea(number=3, challenge_key="digital", text="A, \"quoted\"\nsecond line", author_ref="slack:U2",
                 vote_count=1, created_at=CREATED + timedelta(hours=5), updated_at=CREATED),
            Idea(number=4, challenge_key="digital", text="Left by someone who left", author_ref=FORMER_PARTICIPANT,
                 created_at=CREATED, updated_at=CREATED),
            Idea(number=5, challenge_key="digital", text="Unknown person", author_ref="teams:29:abc",
                 created_at=CREATED, updated_at=CREATED),
        ]
        session.add_all(ideas)
        await session.flush()
        one, two, three, _, five = ideas
        three.merged_into_id = one.id
        session.add_all([
            IdeaTheme(idea_id=one.id, theme="staff rest", added_by="slack:U1", created_at=CREATED),
            IdeaTheme(idea_id=five.id, theme="-negative start", added_by="slack:U1", created_at=CREATED),
            IdeaTheme(idea_id=one.id, theme="estates", added_by="slack:U1", created_at=CREATED),
            Comment(idea_id=one.id, author_ref="slack:U2", text="yes", created_at=CREATED),
            Comment(idea_id=five.id, author_ref="slack:U2", text="and", created_at=CREATED),
            Comment(idea_id=one.id, author_ref="slack:U2", text="more", created_at=CREATED),
            StatusChange(idea_id=one.id, from_status="new", to_status="under_review", note="First look",
                         by_ref="slack:U1", created_at=CREATED),
            StatusChange(idea_id=one.id, from_status="under_review", to_status="in_progress", note="Funded",
                         by_ref="slack:U1", created_at=CREATED),
            StatusChange(idea_id=one.id, from_status="in_progress", to_status="in_progress", note="",
                         by_ref="slack:U1", created_at=CREATED),
            StatusChange(idea_id=two.id, from_status="new", to_status="under_review", note="@ someone",
                         by_ref="slack:U1", created_at=CREATED),
        ])


EXPECTED = (
    "number,challenge,text,author,author_name,status,horizon,themes,votes,comments,created,last_decision_note,"
    "merged_into\r\n"
    "1,wellbeing,Quiet room on ward 7,slack:U1,Ada Stored,in_progress,h1,staff rest; estates,3,2,"
    "2026-11-30T21:05:59+00:00,Funded,\r\n"
    "2,wellbeing,'=SUM(A1) as a formula,,,new,,,0,0,2026-12-01T21:05:59+00:00,'@ someone,\r\n"
    '3,digital,"A, ""quoted""\nsecond line",slack:U2,Bo From Slack,new,,,1,0,2026-12-01T02:05:59+00:00,,1\r\n'
    "4,digital,Left by someone who left,former:participant,a former participant,new,,,0,0,"
    "2026-11-30T21:05:59+00:00,,\r\n"
    "5,digital,Unknown person,teams:29:abc,29:abc,new,,'-negative start,0,1,2026-11-30T21:05:59+00:00,,\r\n"
)


async def test_every_column_is_written_as_before_whichever_page_it_falls_on(db: Database, core: Core) -> None:
    await _seed(db)
    for page_size in (1, 2, 1000):  # themes, counts and notes must land on their own idea at any page boundary
        async with db.snapshot() as session:
            pages = [page async for page in idea_pages(core, session, page_size=page_size)]
        text = csv_header() + "".join(csv_chunk(page) for page in pages)
        assert text == EXPECTED, page_size
        assert all(len(row) == len(COLUMNS) for page in pages for row in page)


async def test_write_csv_streams_the_same_text(db: Database, core: Core, tmp_path) -> None:  # type: ignore[no-untyped-def]
    await _seed(db)
    target = tmp_path / "ideas.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        async with db.snapshot() as session:
            assert await write_csv(idea_pages(core, session, page_size=2), out) == 5
    assert target.read_bytes().decode("utf-8") == EXPECTED


async def test_an_export_stopped_early_leaves_no_read_running(db: Database, core: Core) -> None:
    await _seed(db)
    async with db.snapshot() as session:
        async with aclosing(idea_pages(core, session, page_size=2)) as pages:
            first = await anext(pages)
        # Closing the pages finished the read of the next page: nothing uses the session behind our back.
        reads = [task for task in asyncio.all_tasks() if "export_page" in repr(task.get_coro())]
        assert all(task.done() for task in reads)
        assert [row[0] for row in first] == [1, 2]
        again = [row[0] async for page in idea_pages(core, session, page_size=10) for row in page]
    assert again == [1, 2, 3, 4, 5]


async def test_a_page_of_csv_is_written_in_slices_with_the_event_loop_turning_between(db: Database,
                                                                                      core: Core) -> None:
    rows = [(n, "wellbeing", f"Idea {n}", "", "", "new", "", "", 0, 0, "2026-11-30T21:05:59+00:00", "", "")
            for n in range(1, 1001)]
    turns = 0

    async def ticking() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    ticker = asyncio.create_task(ticking())
    await asyncio.sleep(0)
    seen = []
    async for _piece in csv_pieces(rows):
        seen.append(turns)
    ticker.cancel()
    assert "".join([piece async for piece in csv_pieces(rows)]) == csv_chunk(rows)
    assert len(seen) > 1 and seen == sorted(set(seen))  # other tasks ran between every two slices


def _value_by_value(rows: list[tuple[object, ...]]) -> str:
    # The reference: every value made spreadsheet-safe on its own, as the export always wrote them.
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_spreadsheet_safe(value) for value in row] for row in rows])
    return buffer.getvalue()


def test_a_formula_start_in_any_text_column_is_quoted_as_before() -> None:
    starts = ["=1+1", "+44 7700", "-bullet", "@here", "\tindented", "\rcarriage", "plain", "a,=b inside", ""]
    rows: list[tuple[object, ...]] = []
    for column in (1, 2, 4, 7, 11):
        for start in starts:
            row: list[object] = [len(rows) + 1, "wellbeing", "Text, with a comma", "slack:U1", "Ada", "new", "",
                                 "", 0, 0, "2026-11-30T21:05:59+00:00", "", ""]
            row[column] = start
            rows.append(tuple(row))
    for row in rows:  # one row at a time (each alone in its chunk) and all together
        assert csv_chunk([row]) == _value_by_value([row]), row
    assert csv_chunk(rows) == _value_by_value(rows)
    assert csv_chunk(rows[-9:]) == _value_by_value(rows[-9:])
    first_field = [("=cmd", "x"), ("plain", "-y")]  # not an export row, but csv_chunk must not care
    assert csv_chunk(first_field) == _value_by_value(first_field)
