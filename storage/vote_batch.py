"""A batch of added votes in one statement on PostgreSQL: reactions, votes, the ideas' counts, the voters as
participants and the ideas' card updates, where the general path (storage/bulk.py, storage/vote_counts.py) takes
four round trips. Each round trip to the server costs about half a millisecond on loopback whatever the statement
does, and a batch's voters all wait for it.

Only for batches that add votes and remove none, on ideas that are neither merged duplicates nor have duplicates
merged into them (those are recounted, not shifted): the caller checks. Rows are locked in the general path's
order, so replicas running either path queue behind each other instead of deadlocking: the ideas lowest id first
(`locked`, read in full before the first count changes), then the participants in ref order, then the outbox's
coalescing keys in post order. Ideas are locked FOR NO KEY UPDATE, as an UPDATE locks them: FOR UPDATE would
also wait for the key-share locks another replica's new votes take on them. The order of data-modifying
CTEs is not defined by PostgreSQL, so each one reads the one before it (a scalar over it, in a one-time filter)
and cannot start first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import DateTime, Integer, String

_STATEMENT = """
WITH reacted AS (
    INSERT INTO votereaction (idea_id, voter_ref, emoji)
    SELECT r.idea_id, r.voter_ref, r.emoji
    FROM unnest(:reaction_ideas, :reaction_voters, :reaction_emoji)
         WITH ORDINALITY AS r(idea_id, voter_ref, emoji, position)
    ORDER BY r.position
    ON CONFLICT (idea_id, voter_ref, emoji) DO NOTHING
), voted AS (
    INSERT INTO vote (idea_id, voter_ref, created_at)
    SELECT v.idea_id, v.voter_ref, :now
    FROM unnest(:vote_ideas, :vote_voters) WITH ORDINALITY AS v(idea_id, voter_ref, position)
    ORDER BY v.position
    ON CONFLICT (idea_id, voter_ref) DO NOTHING
    RETURNING idea_id, voter_ref
), counted AS (
    SELECT idea_id, count(*) AS added FROM voted GROUP BY idea_id
), locked AS (
    SELECT id FROM idea WHERE id IN (SELECT idea_id FROM counted) ORDER BY id FOR NO KEY UPDATE
), shifted AS (
    UPDATE idea SET vote_count = idea.vote_count + counted.added
    FROM counted, (SELECT count(*) AS ideas FROM locked) AS locked_first
    WHERE idea.id = counted.idea_id
    RETURNING idea.id
), seen AS (
    INSERT INTO participant (ref, display_name, notifications, first_seen, first_contribution_at)
    SELECT p.ref, p.display_name, true, :now,
           CASE WHEN p.ref IN (SELECT voter_ref FROM voted) THEN CAST(:now AS TIMESTAMP WITH TIME ZONE) END
    FROM unnest(:people, :names) WITH ORDINALITY AS p(ref, display_name, position)
    WHERE (SELECT count(*) FROM shifted) >= 0
    ORDER BY p.position
    ON CONFLICT (ref) DO UPDATE SET first_contribution_at = excluded.first_contribution_at
    WHERE participant.first_contribution_at IS NULL AND excluded.first_contribution_at IS NOT NULL
    RETURNING 1
), queued AS (
    INSERT INTO outboxmessage (platform, kind, conversation, user_ref, lane, thread, idea_id, payload, coalesce_key,
                               state, attempts, next_attempt_at, created_at)
    SELECT post.platform, 'idea_update', post.conversation, NULL, post.conversation, NULL, post.idea_id,
           json_build_object('message_id', post.message_id), 'update:' || CAST(post.id AS VARCHAR), 'pending', 0,
           :due, :now
    FROM ideapost AS post
    WHERE post.idea_id IN (SELECT id FROM shifted) AND post.platform = ANY(:platforms)
      AND (SELECT count(*) FROM seen) >= 0
    ORDER BY post.id
    ON CONFLICT (coalesce_key) DO NOTHING
)
SELECT idea_id, voter_ref FROM voted
"""


@cache
def _statement() -> TextClause:
    numbers = ("reaction_ideas", "vote_ideas")
    strings = ("reaction_voters", "reaction_emoji", "vote_voters", "people", "names", "platforms")
    return text(_STATEMENT).bindparams(
        *(bindparam(name, type_=ARRAY(Integer())) for name in numbers),
        *(bindparam(name, type_=ARRAY(String())) for name in strings),
        bindparam("now", type_=DateTime(timezone=True)), bindparam("due", type_=DateTime(timezone=True)),
    )


async def add_votes_in_one_statement(
    session: AsyncSession, *, reactions: Sequence[tuple[int, str, str]], votes: Sequence[tuple[int, str]],
    names: dict[str, str], platforms: Iterable[str], due: datetime, now: datetime,
) -> set[tuple[int, str]]:
    """Adds the reactions and votes, shifts the counts of the ideas that gained votes and queues their card
    updates (due then), records `names`' people as seen and those whose vote counted as contributors. Returns
    the (idea id, voter) pairs whose vote counted."""
    reaction_rows = sorted(dict.fromkeys(reactions))
    vote_rows = sorted(dict.fromkeys(votes))
    people = sorted(names)
    connection = await session.connection()
    result = await connection.execute(_statement(), {
        "reaction_ideas": [row[0] for row in reaction_rows], "reaction_voters": [row[1] for row in reaction_rows],
        "reaction_emoji": [row[2] for row in reaction_rows],
        "vote_ideas": [row[0] for row in vote_rows], "vote_voters": [row[1] for row in vote_rows],
        "people": people, "names": [names[ref] for ref in people],
        "platforms": sorted(set(platforms)), "now": now, "due": due,
    })
    return {(int(idea_id), str(voter)) for idea_id, voter in result}

