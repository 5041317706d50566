"""A Polis-compatible export (comments.csv, votes.csv, participants-votes.csv, summary.csv), so a campaign can be
analysed with Polis's own tools. Ideas are Polis "comments"; a Crowdbot vote is support, so it is an agree
(1; Polis's -1 disagree and 0 pass never occur).

People appear as integer pseudonyms (Polis's pid) from the `polispseudonym` table: a person's pid is given once,
the first time they appear in an export (newcomers in the order they first used the bot), never reused and
shared by every replica, so an erasure, a linked second id or a newcomer changes nobody else's. No platform id
or name is ever written. Anonymous ideas and ideas of a former (erased or anonymised) participant carry no
author id and count towards nobody's n-comments nor `commenters`. A merged duplicate is moderated out (-1) with
no votes of its own: its votes count for the idea it was merged into, once per person (the earliest vote's
time), as the bot counts them. The data is read from one consistent snapshot; pids are assigned after it in a
short write transaction, read again and retried if someone was erased or linked in between."""

from __future__ import annotations

import csv
import errno
import io
import logging
import secrets
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.errors import UserError
from storage import ideas, polis
from storage.erasure import FORMER_PARTICIPANT

logger = logging.getLogger(__name__)

COMMENTS_HEADER = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                   "comment-body"]
VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANTS_HEADER = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
FILE_NAMES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
AGREE = 1
ATTEMPTS = 3  # reads and pid assignments, when people are erased or linked (or another replica exports) meanwhile
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PolisFiles:
    comments: str
    votes: str
    participants_votes: str
    summary: str

    def write(self, folder: Path, *, replace: bool = False) -> list[Path]:
        """Writes the four files into a new folder beside `folder` and renames it into place, so a failure (an
        OSError, raised) never leaves a half-written export. `folder` must be missing or empty unless `replace`,
        which replaces the four files in it and keeps anything else."""
        contents = (self.comments, self.votes, self.participants_votes, self.summary)
        targets = [folder / name for name in FILE_NAMES]
        filled = folder.is_dir() and any(folder.iterdir())
        if filled and not replace:
            raise OSError(errno.ENOTEMPTY, "the folder is not empty", str(folder))
        for target in targets if filled else []:
            if target.exists() and not target.is_file():
                raise IsADirectoryError(errno.EISDIR, "a folder has the name of one of its files", str(target))
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as error:  # a file where a folder should be
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", error.filename) from None
        staging = folder.with_name(f".{folder.name}.partial-{secrets.token_hex(4)}")
        try:
            staging.mkdir()
            for name, content in zip(FILE_NAMES, contents, strict=True):
                (staging / name).write_text(content, encoding="utf-8")
            if filled:
                for name, target in zip(FILE_NAMES, targets, strict=True):
                    (staging / name).replace(target)
            else:
                if folder.is_dir():
                    folder.rmdir()  # empty: the complete folder takes its place
                staging.rename(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return targets


@dataclass(frozen=True)
class _Comment:
    number: int
    author_ref: str | None  # None: a former participant's
    anonymous: bool
    merged: bool
    created_at: datetime
    text: str


@dataclass(frozen=True)
class _Snapshot:
    comments: list[_Comment]
    votes: dict[tuple[int, str], datetime]  # (comment number, voter ref) -> their earliest vote on it
    people: list[str]  # the refs the export names, in the order new pids are given
    pids: dict[str, int]  # those who already have one


def _stamp(moment: datetime) -> tuple[str, str]:
    utc = moment.astimezone(UTC)
    return str(int(utc.timestamp())), utc.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text  # never a live formula in a spreadsheet


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


async def polis_files(core: Core, *, challenge_key: str | None = None) -> PolisFiles:
    """The four files for the campaign (or one challenge), pids given to people who have none yet."""
    for attempt in range(1, ATTEMPTS + 1):
        async with core.db.snapshot() as session:
            seen = await _read(session, challenge_key)
        if all(ref in seen.pids for ref in seen.people):
            return _files(core, seen, seen.pids, challenge_key)
        try:
            async with core.db.transaction() as session:
                pids = await polis.assign_pids(session, refs=seen.people)
        except (polis.PersonGone, IntegrityError) as error:  # IntegrityError: another replica took those pids
            logger.info("Polis export: reading again (attempt %d of %d): %s", attempt, ATTEMPTS,
                        type(error).__name__)
            continue
        return _files(core, seen, pids, challenge_key)
    raise UserError("People were erased or linked while the Polis export ran; nothing was written. Try again.")


async def _read(session: AsyncSession, challenge_key: str | None) -> _Snapshot:
    chosen = [i for i in await ideas.all_ideas(session) if challenge_key in (None, i.challenge_key)]
    by_id = {idea.id: idea for idea in chosen if idea.id is not None}
    comments = [_Comment(idea.number, None if idea.author_ref == FORMER_PARTICIPANT else idea.author_ref,
                         idea.anonymous, idea.merged_into_id is not None, idea.created_at, idea.text)
                for idea in by_id.values()]
    votes: dict[tuple[int, str], datetime] = {}
    for idea_id, voter, created in await polis.all_votes(session):
        idea = by_id.get(idea_id)
        if idea is None:
            continue
        survivor = by_id.get(idea.merged_into_id) if idea.merged_into_id is not None else None
        key = ((survivor or idea).number, voter)  # a duplicate's vote is for the idea it was merged into
        votes[key] = min(created, votes.get(key, created))
    first = await polis.first_seen(session)
    active: dict[str, datetime] = {}  # for people who never used the bot themselves (imported authors)
    for comment in comments:
        if comment.author_ref is not None and not comment.anonymous:
            active[comment.author_ref] = min(comment.created_at, active.get(comment.author_ref, comment.created_at))
    for (_, voter), created in votes.items():
        active[voter] = min(created, active.get(voter, created))
    people = sorted(active, key=lambda ref: (first.get(ref, active[ref]), ref))
    return _Snapshot(comments, votes, people, await polis.pids_of(session, refs=people))


def _files(core: Core, seen: _Snapshot, pids: dict[str, int], challenge_key: str | None) -> PolisFiles:
    agrees = Counter(number for number, _ in seen.votes)
    comment_rows: list[list[object]] = [[*COMMENTS_HEADER]]
    for comment in seen.comments:
        timestamp, when = _stamp(comment.created_at)
        author = "" if comment.author_ref is None or comment.anonymous else pids[comment.author_ref]
        comment_rows.append([timestamp, when, comment.number, author, agrees[comment.number], 0,
                             -1 if comment.merged else 1, _safe(comment.text)])
    vote_rows: list[list[object]] = [[*VOTES_HEADER]]
    voted: dict[int, dict[int, int]] = defaultdict(dict)
    for (number, voter), created in sorted(seen.votes.items(), key=lambda item: (item[0][0], pids[item[0][1]])):
        timestamp, when = _stamp(created)
        vote_rows.append([timestamp, when, number, pids[voter], AGREE])
        voted[pids[voter]][number] = AGREE
    authored = Counter(pids[c.author_ref] for c in seen.comments if c.author_ref is not None and not c.anonymous)
    numbers = [comment.number for comment in seen.comments]
    return PolisFiles(_csv(comment_rows), _csv(vote_rows), _participants(numbers, voted, authored),
                      _summary(core, seen, len(voted), challenge_key))


def _participants(numbers: list[int], voted: dict[int, dict[int, int]], authored: Counter[int]) -> str:
    rows: list[list[object]] = [[*PARTICIPANTS_HEADER, *numbers]]
    for pid in sorted(set(voted) | set(authored)):
        mine = voted.get(pid, {})
        rows.append([pid, "", authored[pid], len(mine), len(mine), 0, *(mine.get(n, "") for n in numbers)])
    return _csv(rows)


def _summary(core: Core, seen: _Snapshot, voters: int, challenge_key: str | None) -> str:
    challenge = core.config.challenge(challenge_key) if challenge_key else None
    topic = f"{core.config.campaign.name}: {challenge.title}" if challenge else core.config.campaign.name
    description = challenge.description if challenge else "; ".join(c.title for c in core.config.challenges)
    # A count only: anonymous authors are people too; a former participant is nobody.
    commenters = len({c.author_ref for c in seen.comments if c.author_ref is not None})
    # `views` is left empty: Crowdbot cannot see who only read the ideas, so the number is unknown, not 0.
    rows: list[list[object]] = [["topic", _safe(topic)], ["url", ""], ["views", ""], ["voters", voters],
                                ["voters-in-conv", voters], ["commenters", commenters],
                                ["comments", len(seen.comments)], ["groups", 0],
                                ["conversation-description", _safe(description)]]
    return _csv(rows)
