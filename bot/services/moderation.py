"""What community managers and leaders do to ideas: decide, prioritise, theme, merge duplicates."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import decision_acknowledgement, status_label
from bot.context import Core
from bot.errors import UserError
from bot.grammar import HORIZONS, NOTE_REQUIRED, STATUSES
from bot.patient_data import refuse_patient_data
from bot.services.delivery import queue_direct, queue_post_updates
from bot.services.merge_notes import queue_merge_notes
from bot.services.validation import clean_text
from storage import ideas, vote_counts
from storage.models import Idea, StatusChange

THEME_MAX_LENGTH = 60
# An example note that reads right for the status it is given with.
EXAMPLE_NOTES = {"done": "Rolled out to all wards in May",
                 "not_taken_forward": "Not this year: the budget went to ward staffing; we will look again in April"}


async def change_status(
    core: Core, session: AsyncSession, *, idea: Idea, status: str, note: str, by_ref: str
) -> StatusChange:
    if status not in STATUSES:
        raise UserError(f"Unknown status {status!r}. Use one of: {', '.join(STATUSES)}.")
    note = note.strip()
    if status in NOTE_REQUIRED and not note:
        raise UserError(
            f"A note is required for {status_label(status)}: say what was done, or why not "
            f"(e.g. 'status #{idea.number} {status} {EXAMPLE_NOTES.get(status, EXAMPLE_NOTES['done'])}').")
    if note:
        note = clean_text(note, what="note", limit=core.config.campaign.comment_max_length)
        refuse_patient_data(note, what="note", settings=core.config.data_protection)
    if idea.merged_into_id is not None:
        raise UserError(f"Idea #{idea.number} is merged into another idea; change that idea's status instead.")
    if status == idea.status and not note:
        raise UserError(f"Idea #{idea.number} is already {status_label(status)}.")
    change = await ideas.record_status_change(session, idea=idea, to_status=status, note=note, by_ref=by_ref,
                                              now=core.now())
    await queue_post_updates(core, session, idea)
    # The author hears at once, anonymous or not: the bot knows who they are, nobody else does.
    await queue_direct(core, session, idea.author_ref, decision_acknowledgement(idea, change))
    return change


async def set_horizon(core: Core, session: AsyncSession, *, idea: Idea, horizon: str) -> None:
    if horizon not in HORIZONS:
        raise UserError(f"Unknown horizon {horizon!r}. Use H1 (quick win), H2, H3 (business plans) or H4 (test).")
    if idea.horizon == horizon:
        raise UserError(f"Idea #{idea.number} is already {horizon}.")
    idea.horizon = horizon
    idea.updated_at = core.now()
    await queue_post_updates(core, session, idea)


def normalise_theme(theme: str) -> str:
    cleaned = clean_text(theme, what="theme", limit=THEME_MAX_LENGTH)
    return " ".join(cleaned.lower().split())


async def change_theme(
    core: Core, session: AsyncSession, *, idea: Idea, theme: str, remove: bool, by_ref: str
) -> str:
    name = normalise_theme(theme)
    if remove:
        if not await ideas.remove_theme(session, idea_id=idea.id, theme=name):  # type: ignore[arg-type]
            raise UserError(f"Idea #{idea.number} has no theme {name!r}.")
    elif not await ideas.add_theme(session, idea_id=idea.id, theme=name, added_by=by_ref,  # type: ignore[arg-type]
                                   now=core.now()):
        raise UserError(f"Idea #{idea.number} already has the theme {name!r}.")
    await queue_post_updates(core, session, idea)
    return name


async def merge(core: Core, session: AsyncSession, *, duplicate: Idea, survivor: Idea,
                by_ref: str | None = None) -> None:
    """Points the duplicate at the survivor. Votes stay on their rows, so counts are by distinct voter
    across the pair (nobody counts twice) and unmerging restores them exactly. The duplicate's author and
    voters are told privately, in this transaction; `by_ref`, the manager who merged (None: nobody), is not."""
    if duplicate.id == survivor.id:
        raise UserError("An idea cannot be merged into itself.")
    if duplicate.merged_into_id is not None:
        raise UserError(f"Idea #{duplicate.number} is already merged into another idea; unmerge it first.")
    if survivor.merged_into_id is not None:
        raise UserError(f"Idea #{survivor.number} is itself merged into another idea; merge into that one.")
    if await ideas.merged_children(session, idea_id=duplicate.id):  # type: ignore[arg-type]
        raise UserError(f"Other ideas are merged into #{duplicate.number}; merge #{survivor.number} into "
                        f"#{duplicate.number} instead, or unmerge them first.")
    await vote_counts.lock_in_id_order(session, idea_ids=[duplicate.id, survivor.id])  # type: ignore[list-item]
    duplicate.merged_into_id = survivor.id
    duplicate.updated_at = core.now()
    await session.flush()
    await vote_counts.recount(session, idea_ids={survivor.id})  # type: ignore[arg-type]
    await queue_post_updates(core, session, duplicate)
    await queue_post_updates(core, session, survivor)
    await queue_merge_notes(core, session, duplicate=duplicate, survivor=survivor, by_ref=by_ref, merged=True)


async def unmerge(core: Core, session: AsyncSession, *, duplicate: Idea, by_ref: str | None = None) -> Idea:
    """Makes the duplicate stand alone again and tells the same people as the merge did."""
    if duplicate.merged_into_id is None:
        raise UserError(f"Idea #{duplicate.number} is not merged into anything.")
    survivor = await ideas.get_idea_by_id(session, idea_id=duplicate.merged_into_id)
    pair = {duplicate.id, duplicate.merged_into_id}
    await vote_counts.lock_in_id_order(session, idea_ids=pair)  # type: ignore[arg-type]
    duplicate.merged_into_id = None
    duplicate.updated_at = core.now()
    await session.flush()
    await vote_counts.recount(session, idea_ids=pair)  # type: ignore[arg-type]
    await queue_post_updates(core, session, duplicate)
    if survivor is not None:
        await queue_post_updates(core, session, survivor)
        await queue_merge_notes(core, session, duplicate=duplicate, survivor=survivor, by_ref=by_ref, merged=False)
    return survivor  # type: ignore[return-value]
