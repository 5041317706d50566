"""Private notes to the people a merge moves: the duplicate's author and everyone who voted for it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import shorten
from bot.context import Core
from bot.message import Message
from storage import digests, ideas, outbox
from storage.bulk import insert_many_ignoring_conflict
from storage.models import Idea, OutboxMessage

SURVIVOR_EXCERPT = 80
NEVER_TOLD = ("former:", "import:")  # erased people and imported authors have nobody to write to
UNDO = "A manager can undo this."


def merge_note(duplicate: Idea, survivor: Idea, *, merged: bool, author: bool, backed_both: bool = False) -> Message:
    """What one person is told when `duplicate` is merged into `survivor` (or, not `merged`, unmerged from it).

    The author reads "your idea"; a voter's note names no author, so an anonymous one stays anonymous."""
    d, s = duplicate.number, survivor.number
    excerpt = shorten(survivor.text, SURVIVOR_EXCERPT)
    whose = f"Your idea #{d}" if author else f"#{d}, which you backed,"
    if merged:
        title = f"{whose} was merged into #{s}"
        votes = (f"Its votes now count for #{s}, once per person." if author
                 else f"You backed both, so you count once for #{s}." if backed_both
                 else f"Your vote now counts once for #{s}.")
        text = f"{title}: {excerpt}\n{votes} {UNDO}"
    else:
        title = f"{whose} stands alone again"
        votes = f"Its own votes count for #{d} again." if author else f"Your vote counts for #{d} again."
        text = f"{title}: it is no longer merged into #{s} ({excerpt}).\n{votes}"
    return Message(text=text, summary=f"{title}.", title=title, body=text)


async def queue_merge_notes(
    core: Core, session: AsyncSession, *, duplicate: Idea, survivor: Idea, by_ref: str | None, merged: bool
) -> None:
    """Queues, in the caller's transaction, one direct message per person the merge (or unmerge) moves.

    The author is always told, as of a status change (their own idea); voters who turned notifications off
    are not, as in the weekly backers' message. The manager who acted hears nothing about it. Each row carries
    an idempotency key (the action, the pair, the moment of the change, the person), so running the same
    change twice queues each note once.
    """
    voters, backed_both = await ideas.voters_moved_by_merge(
        session, duplicate_id=duplicate.id, survivor_id=survivor.id)  # type: ignore[arg-type]
    muted = await digests.notifications_off(session, refs=voters)
    notes: dict[str, Message] = {}
    for ref in sorted(voters - muted):
        notes[ref] = merge_note(duplicate, survivor, merged=merged, author=False, backed_both=ref in backed_both)
    # Replaces a voter's note: an author who voted for their own idea hears once.
    notes[duplicate.author_ref] = merge_note(duplicate, survivor, merged=merged, author=True)
    action = "merge" if merged else "unmerge"
    stamp = duplicate.updated_at.isoformat()
    now = core.now()
    rows = []
    for ref, message in notes.items():
        platform, _, user_id = ref.partition(":")
        if ref == by_ref or ref.startswith(NEVER_TOLD) or platform not in core.platforms or not user_id:
            continue
        rows.append(outbox.row_values(
            platform=platform, kind="direct", user_ref=user_id, payload=message.to_json(), now=now,
            coalesce_key=f"{action}-note:{duplicate.id}:{survivor.id}:{stamp}:{ref}"))
    await insert_many_ignoring_conflict(session, OutboxMessage, rows, conflict=["coalesce_key"])
