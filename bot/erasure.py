"""Erasing a person: their votes go (every count stays exact), their ideas and comments stay as contributions of
"a former participant" (or their text goes, with `data_protection.erasure: delete`), and every other row that
names them is deleted. Idempotent; the audit log keeps only a keyed pseudonym of who was erased."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.comment_posts import blank_copies
from bot.context import Core
from bot.services.delivery import queue_updates_for_ideas
from storage import audit, comment_posts, erasure, ideas, vote_counts

REMOVED_TEXT = "[This idea was removed at its author's request.]"


@dataclass(frozen=True)
class ErasureReport:
    votes_on: int  # ideas whose counts changed
    ideas: int
    comments: int
    other_rows: int
    pseudonym: str

    def summary(self) -> str:
        return (f"Erased {self.pseudonym}: votes removed from {self.votes_on} ideas, {self.ideas} ideas and "
                f"{self.comments} comments no longer linked to them, {self.other_rows} other rows deleted.")


def pseudonym(core: Core, ref: str) -> str:
    key = core.config.data_protection.hash_salt or secrets.token_hex(16)
    return "erased:" + hmac.new(key.encode(), ref.encode(), hashlib.sha256).hexdigest()[:16]


async def forget_person(core: Core, session: AsyncSession, ref: str, *, requested_by: str) -> ErasureReport:
    """Erases `ref` in the caller's transaction; `requested_by` ("cli", or "self" for the person) is audited."""
    name = pseudonym(core, ref)
    voted = await erasure.remove_votes(session, ref=ref)
    await vote_counts.recount(session, idea_ids=voted)
    delete_text = core.config.data_protection.erasure == "delete"
    # With `delete`, the copies the bot posted of their comments in ideas' threads are blanked with the text;
    # otherwise those copies stay, as the comments and ideas do, as a former participant's (they never named them).
    copied = await comment_posts.sources_by(session, author_ref=ref) if delete_text else []
    own, comments = await erasure.unlink_contributions(session, ref=ref, delete_text=delete_text,
                                                       removed_text=REMOVED_TEXT)
    await blank_copies(core, session, source_refs=copied)
    other = await erasure.remove_personal_rows(session, ref=ref, audit_name=name)
    changed = voted | own
    merged_into = {idea.merged_into_id for i in changed
                   if (idea := await ideas.get_idea_by_id(session, idea_id=i)) and idea.merged_into_id}
    await queue_updates_for_ideas(core, session, changed | {i for i in merged_into if i is not None})
    await audit.record(session, actor_ref=requested_by, action="erasure", detail=name, now=core.now())
    return ErasureReport(len(voted), len(own), comments, other, name)
