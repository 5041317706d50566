"""The Polis-format export: Polis's headers and sign convention, counts that match the database, pseudonyms that
are stable and never platform ids, and no author id on anonymous ideas."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
from sqlalchemy import func, select

from bot.context import Core
from bot.erasure import forget_person
from bot.events import Actor, Address, CommandInvoked
from bot.handler import Bot
from bot.polis_export import PolisFiles, polis_files
from bot.retention import apply_retention
from storage.database import Database
from storage.models import Idea, PolisPseudonym, Vote
from storage.polis import PersonGone, assign_pids
from tests.factories import CM, FixedClock, make_config, say


def table(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


async def export(core: Core) -> PolisFiles:
    return await polis_files(core)


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
        ("1", "2", "0", "1"), ("2", "2", "0", "1"), ("3", "1", "0", "1"), ("4", "0", "0", "-1")]  # #4 is in #3
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


def authors(content: str) -> dict[str, str]:
    """comment-id -> author-id."""
    return {row["comment-id"]: row["author-id"] for row in table(content)}


def figures(files: PolisFiles) -> dict[str, str]:
    return dict(line.split(",", 1) for line in files.summary.splitlines())


def everything(files: PolisFiles) -> str:
    return files.comments + files.votes + files.participants_votes + files.summary


async def test_an_erasure_shifts_nobody_elses_pid_and_the_former_participant_is_nobody(
        bot: Bot, core: Core, clock: FixedClock) -> None:
    await campaign(bot)
    before = authors((await export(core)).comments)
    await forget_person_now(core, "slack:U1")
    clock.advance(minutes=5)
    await say(bot, "slack:U9", "Bike racks under cover by the main entrance")  # a newcomer, after the erasure
    after = await export(core)

    ids = authors(after.comments)
    assert ids["1"] == "" and ids["3"] == before["3"] and ids["4"] == before["4"]  # U1's idea has no author now
    assert ids["5"] not in before.values() and int(ids["5"]) > max(int(pid) for pid in before.values() if pid)
    people = table(after.participants_votes)
    assert sum(int(p["n-comments"]) for p in people) == 3  # U3, U4 and U9: the former participant is nobody
    assert figures(after)["commenters"] == "4"  # U2 (anonymous), U3, U4 and U9
    assert "U1" not in everything(after) and "slack:" not in everything(after)


async def test_linking_a_second_id_keeps_the_survivors_pid_and_shifts_nobody(bot: Bot, core: Core) -> None:
    await campaign(bot)
    await say(bot, "slack:U6", "Water fountains on every floor")  # 5, by the id about to become U3's second one
    await say(bot, "slack:U7", "Secure cycle storage")  # 6
    await say(bot, "slack:U8", "A rota swap board")  # 7, by the id about to become UNEW's second one
    await say(bot, "slack:U6", "vote #1")
    before = authors((await export(core)).comments)
    await as_two_ids(bot, "slack:U3", "U6")  # both had a pid: U3 keeps theirs
    await as_two_ids(bot, "slack:UNEW", "U8")  # UNEW never had one: they take U8's
    after = await export(core)

    ids = authors(after.comments)
    assert ids["5"] == ids["3"] == before["3"]  # U6's idea is U3's, under U3's pid
    assert ids["6"] == before["6"] and ids["1"] == before["1"] and ids["4"] == before["4"]  # nobody else moved
    assert ids["7"] == before["7"]  # UNEW kept the pid of their second id
    voters_of_1 = [v["voter-id"] for v in table(after.votes) if v["comment-id"] == "1"]
    assert before["5"] not in voters_of_1 and before["3"] in voters_of_1  # U6's vote is U3's
    assert before["5"] not in {p["participant"] for p in table(after.participants_votes)}
    assert "slack:" not in everything(after) and "U6" not in everything(after)


async def test_merged_votes_count_once_per_person_under_the_survivor_as_the_bot_counts(
        bot: Bot, core: Core, clock: FixedClock) -> None:
    await say(bot, "slack:U1", "Publish the rota six weeks ahead")  # 1
    await say(bot, "slack:U2", "Publish rotas earlier")  # 2
    await say(bot, "slack:U3", "vote #2")  # U3 votes for the duplicate first ...
    clock.advance(minutes=1)
    await say(bot, "slack:U3", "vote #1")  # ... and then for the survivor
    await say(bot, "slack:U4", "vote #2")
    await say(bot, "slack:U5", "vote #1")
    await say(bot, CM, "merge #2 into #1")
    files = await export(core)

    async with core.db.transaction() as session:
        counted = (await session.execute(select(Idea.vote_count).where(Idea.number == 1))).scalar_one()
    comments = {c["comment-id"]: c for c in table(files.comments)}
    assert comments["1"]["agrees"] == str(counted) == "3"  # U3 once, U4 through the duplicate, U5
    assert (comments["2"]["agrees"], comments["2"]["moderated"]) == ("0", "-1")
    votes = table(files.votes)
    assert {v["comment-id"] for v in votes} == {"1"} and len(votes) == 3
    start = int(comments["1"]["timestamp"])
    assert sorted(int(v["timestamp"]) for v in votes) == [start, start + 60, start + 60]  # U3's earliest vote
    people = table(files.participants_votes)
    assert sum(int(p["n-votes"]) for p in people) == len(votes) == 3
    assert all(p["2"] == "" for p in people) and sorted(p["1"] for p in people) == ["", "", "1", "1", "1"]
    assert figures(files)["voters"] == figures(files)["voters-in-conv"] == "3"


async def test_summary_has_polis_rows_in_polis_order(bot: Bot, core: Core) -> None:
    await campaign(bot)
    keys = [line.split(",", 1)[0] for line in (await export(core)).summary.splitlines()]
    assert keys == ["topic", "url", "views", "voters", "voters-in-conv", "commenters", "comments", "groups",
                    "conversation-description"]


async def forget_person_now(core: Core, ref: str) -> None:
    async with core.db.transaction() as session:
        await forget_person(core, session, ref, requested_by="cli")


async def as_two_ids(bot: Bot, ref: str, second_id: str) -> None:
    """An event showing both of a person's ids links the second one to them (as Teams does)."""
    platform, _, user = ref.partition(":")
    who = Actor(platform, user, user, alias=second_id)
    await bot.handle(CommandInvoked(who, Address(platform, "CROTA"), "help"))


async def test_pids_are_never_reused_and_an_erased_or_anonymised_person_leaves_no_pid(bot: Bot, core: Core) -> None:
    await campaign(bot)
    await say(bot, "slack:U9", "Bike racks under cover by the main entrance")  # 5: the latest pid
    await export(core)
    before = await pid_table(core)
    await forget_person_now(core, "slack:U9")
    await say(bot, "slack:U10", "Hot food after midnight")  # 6
    after = await export(core)

    now = await pid_table(core)
    assert "slack:U9" not in now and now["slack:U10"] == max(before.values()) + 1  # U9's pid is not given again
    async with core.db.transaction() as session:
        retired = (await session.execute(select(PolisPseudonym.pid).where(PolisPseudonym.ref.is_(None)))).all()
    assert [pid for pid, in retired] == [before["slack:U9"]]  # kept, naming nobody, so never handed out again
    assert {ref: pid for ref, pid in now.items() if ref in before} == {ref: pid for ref, pid in before.items()
                                                                        if ref != "slack:U9"}
    assert authors(after.comments)["6"] == str(now["slack:U10"])
    core.config = make_config(data_protection={"retention_days_after_close": 1}, challenges=[
        {"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": ["slack:CROTA"],
         "opens": "2026-01-01", "closes": "2026-11-01"}])  # closed: anonymisation is due today
    assert await apply_retention(core) > 0
    assert not [ref for ref in await pid_table(core) if not ref.startswith("former:")]  # strangers' votes only
    assert "slack:" not in everything(await export(core))


async def test_a_person_gone_before_their_pid_is_given_gets_none(bot: Bot, core: Core) -> None:
    await campaign(bot)
    await forget_person_now(core, "slack:U3")
    async with core.db.transaction() as session:
        with pytest.raises(PersonGone):  # the export read them before the erasure: it reads again
            await assign_pids(session, refs=["slack:U1", "slack:U3"])
    assert await pid_table(core) == {}


async def test_two_replicas_exporting_at_once_agree_on_every_pid(bot: Bot, core: Core, database_url: str) -> None:
    await campaign(bot)
    other = Database(database_url)
    try:
        replica = Core(core.config, other, platforms=core.platforms, clock=core.clock, traits=core.traits)
        first, second = await asyncio.gather(export(core), export(replica))
    finally:
        await other.dispose()
    assert first == second
    assert sorted((await pid_table(core)).values()) == [0, 1, 2, 3]  # U1, U3, U4 and U5, each once


async def pid_table(core: Core) -> dict[str, int]:
    async with core.db.transaction() as session:
        rows = (await session.execute(select(PolisPseudonym.ref, PolisPseudonym.pid))).all()
    return {ref: pid for ref, pid in rows if ref is not None}
