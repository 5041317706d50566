"""The Polis-format export: Polis's headers and sign convention, counts that match the database, pseudonyms that
are stable and never platform ids, and no author id on anonymous ideas."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from bot.polis_export import polis_files
from storage.models import Vote
from tests.factories import CM, say


def table(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


async def export(core: Core):  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return await polis_files(core, session)


async def campaign(bot: Bot) -> None:
    await say(bot, "slack:U1", "Publish the rota six weeks ahead")
    await say(bot, "slack:U2", "anon Free hot drinks for the night team")
    await say(bot, "slack:U3", "=Quieter break rooms on every ward")
    await say(bot, "slack:U4", "Lockers for every member of staff")
    for voter, number in (("slack:U3", 1), ("slack:U4", 1), ("slack:U1", 2), ("slack:U3", 2), ("slack:U5", 4)):
        await say(bot, voter, f"vote #{number}")
    await say(bot, CM, "merge #4 into #3")


async def test_files_have_polis_headers_and_the_databases_counts(bot: Bot, core: Core) -> None:
    await campaign(bot)
    files = await export(core)

    assert files.comments.splitlines()[0] == \
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
    assert files.votes.splitlines()[0] == "timestamp,datetime,comment-id,voter-id,vote"
    assert files.participants_votes.splitlines()[0] == \
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,1,2,3,4"
    comments, votes, people = table(files.comments), table(files.votes), table(files.participants_votes)
    async with core.db.transaction() as session:
        stored_votes = int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())
    assert len(votes) == stored_votes == 5 and {v["vote"] for v in votes} == {"1"}  # 1 = agree, as in Polis
    assert [(c["comment-id"], c["agrees"], c["disagrees"], c["moderated"]) for c in comments] == [
        ("1", "2", "0", "1"), ("2", "2", "0", "1"), ("3", "0", "0", "1"), ("4", "1", "0", "-1")]
    assert comments[1]["author-id"] == ""  # the anonymous idea has no author
    assert comments[2]["comment-body"] == "'=Quieter break rooms on every ward"  # never a spreadsheet formula
    assert sum(int(p["n-votes"]) for p in people) == stored_votes
    assert all(p["n-agree"] == p["n-votes"] and p["n-disagree"] == "0" for p in people)
    u1 = next(p for p in people if p["participant"] == votes[2]["voter-id"])  # U1 voted for #2: the third row
    assert u1["2"] == "1" and u1["1"] == ""
    summary = dict(line.split(",", 1) for line in files.summary.splitlines())
    assert (summary["comments"], summary["voters"], summary["commenters"], summary["groups"]) == ("4", "4", "4", "0")
    everything = files.comments + files.votes + files.participants_votes + files.summary
    assert "slack:" not in everything and "U2" not in everything and "UCM" not in everything


async def test_pseudonyms_are_stable_and_anonymous_ideas_count_for_nobody(bot: Bot, core: Core) -> None:
    await campaign(bot)
    before = table((await export(core)).comments)
    await say(bot, "slack:U9", "Bike racks under cover by the main entrance")
    await say(bot, "slack:U2", "vote #5")
    after = await export(core)

    assert [c["author-id"] for c in table(after.comments)][:4] == [c["author-id"] for c in before]
    people = {p["participant"]: p for p in table(after.participants_votes)}
    anonymous_author = [p for p in people.values() if p["5"] == "1"]  # U2 voted for #5 only
    assert len(anonymous_author) == 1 and anonymous_author[0]["n-comments"] == "0"
