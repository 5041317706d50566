"""A Polis-compatible export (comments.csv, votes.csv, participants-votes.csv, summary.csv), so a campaign can be
analysed with Polis's own tools. Ideas are Polis "comments"; a Crowdbot vote is support, so it is an agree
(1; Polis's -1 disagree and 0 pass never occur). People appear as small integer pseudonyms (Polis's pid) in the
order they first used the bot, stable across exports; no platform id or name is ever written, and anonymous
ideas carry no author id (nor count towards anyone's n-comments). A merged duplicate is moderated out (-1), its
votes kept on it as they were cast."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from storage import ideas, polis
from storage.models import Idea

COMMENTS_HEADER = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                   "comment-body"]
VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANTS_HEADER = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
AGREE = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PolisFiles:
    comments: str
    votes: str
    participants_votes: str
    summary: str

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in (("comments.csv", self.comments), ("votes.csv", self.votes),
                              ("participants-votes.csv", self.participants_votes), ("summary.csv", self.summary)):
            path = folder / name
            path.write_text(content, encoding="utf-8")
            written.append(path)
        return written


def _stamp(moment: datetime) -> tuple[str, str]:
    utc = moment.astimezone(UTC)
    return str(int(utc.timestamp())), utc.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text  # never a live formula in a spreadsheet


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


class Pseudonyms:
    """platform ref -> Polis pid, in order of first appearance."""

    def __init__(self, ordered_refs: list[str]) -> None:
        self._ids = {ref: index for index, ref in enumerate(ordered_refs)}

    def of(self, ref: str) -> int:
        if ref not in self._ids:  # an author who never used the bot themselves (imported ideas)
            self._ids[ref] = len(self._ids)
        return self._ids[ref]


async def polis_files(core: Core, session: AsyncSession, *, challenge_key: str | None = None) -> PolisFiles:
    chosen = [i for i in await ideas.all_ideas(session) if challenge_key in (None, i.challenge_key)]
    by_id = {idea.id: idea for idea in chosen}
    votes = [v for v in await polis.all_votes(session) if v[0] in by_id]
    pids = Pseudonyms(await polis.participants_in_order(session))
    agrees = Counter(idea_id for idea_id, _, _ in votes)

    comment_rows: list[list[object]] = [[*COMMENTS_HEADER]]
    for idea in chosen:
        timestamp, when = _stamp(idea.created_at)
        author = "" if idea.anonymous else pids.of(idea.author_ref)
        comment_rows.append([timestamp, when, idea.number, author, agrees[idea.id or 0], 0,
                             -1 if idea.merged_into_id is not None else 1, _safe(idea.text)])
    vote_rows: list[list[object]] = [[*VOTES_HEADER]]
    voted: dict[int, dict[int, int]] = defaultdict(dict)
    for idea_id, voter, created in votes:
        timestamp, when = _stamp(created)
        pid = pids.of(voter)
        vote_rows.append([timestamp, when, by_id[idea_id].number, pid, AGREE])
        voted[pid][by_id[idea_id].number] = AGREE
    authored = Counter(pids.of(i.author_ref) for i in chosen if not i.anonymous)
    return PolisFiles(_csv(comment_rows), _csv(vote_rows), _participants(chosen, voted, authored),
                      _summary(core, chosen, voted, challenge_key))


def _participants(chosen: list[Idea], voted: dict[int, dict[int, int]], authored: Counter[int]) -> str:
    numbers = [idea.number for idea in chosen]
    rows: list[list[object]] = [[*PARTICIPANTS_HEADER, *numbers]]
    for pid in sorted(set(voted) | set(authored)):
        mine = voted.get(pid, {})
        rows.append([pid, "", authored[pid], len(mine), len(mine), 0, *(mine.get(n, "") for n in numbers)])
    return _csv(rows)


def _summary(core: Core, chosen: list[Idea], voted: dict[int, dict[int, int]], challenge_key: str | None) -> str:
    challenge = core.config.challenge(challenge_key) if challenge_key else None
    topic = f"{core.config.campaign.name}: {challenge.title}" if challenge else core.config.campaign.name
    description = challenge.description if challenge else "; ".join(c.title for c in core.config.challenges)
    commenters = len({idea.author_ref for idea in chosen})  # a count only: anonymous authors are people too
    rows: list[list[object]] = [["topic", _safe(topic)], ["url", ""], ["voters", len(voted)],
                                ["voters-in-conv", len(voted)], ["commenters", commenters],
                                ["comments", len(chosen)], ["groups", 0],
                                ["conversation-description", _safe(description)]]
    return _csv(rows)
