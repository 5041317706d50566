"""Repository functions for erasing one person and for reading back everything stored about them."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage import polis
from storage.fika_models import FikaMember, FikaPerson, FikaRound
from storage.models import (
    AuditEntry,
    Comment,
    Comparison,
    ConversationReference,
    DisplayName,
    Idea,
    IdeaDraft,
    IdeaHourAgreement,
    IdeaHourAnswer,
    IdeaHourEarlyReaction,
    IdeaHourReminderRequest,
    IdeaHourRun,
    IdeaTheme,
    IdentityAlias,
    OutboxMessage,
    Participant,
    PendingIdea,
    PolisPseudonym,
    StatusChange,
    SuggestedTheme,
    Vote,
    VoteReaction,
)

# What an erased person's ideas, comments and decisions point at instead of them.
FORMER_PARTICIPANT = "former:participant"


def addressed_to(ref: str):
    """Outbox rows addressed to the person: the outbox keeps the platform and the bare user id apart."""
    platform, _, user = ref.partition(":")
    return (col(OutboxMessage.platform) == platform) & (col(OutboxMessage.user_ref) == user)


def reference_keys(ref: str) -> list[str]:
    """The conversation-reference keys that belong to a person (Teams keeps one per person to reach them)."""
    platform, _, user = ref.partition(":")
    return [f"{platform}:user:{user}"]


async def remove_votes(session: AsyncSession, *, ref: str) -> set[int]:
    """Deletes the person's votes and vote reactions; returns the ids of the ideas they had voted for."""
    voted = set((await session.execute(select(col(Vote.idea_id)).where(col(Vote.voter_ref) == ref))).scalars())
    voted |= set(
        (await session.execute(select(col(VoteReaction.idea_id)).where(col(VoteReaction.voter_ref) == ref))).scalars()
    )
    await session.execute(delete(Vote).where(col(Vote.voter_ref) == ref))
    await session.execute(delete(VoteReaction).where(col(VoteReaction.voter_ref) == ref))
    return voted


async def unlink_contributions(session: AsyncSession, *, ref: str, delete_text: bool, removed_text: str
                               ) -> tuple[set[int], int]:
    """Points the person's ideas, comments and decisions at FORMER_PARTICIPANT; with `delete_text`, their
    comments are deleted and their ideas' text replaced. Returns (their idea ids, comments touched)."""
    idea_ids = set((await session.execute(select(col(Idea.id)).where(col(Idea.author_ref) == ref))).scalars())
    values: dict[str, object] = {"author_ref": FORMER_PARTICIPANT}
    if delete_text:
        values["text"] = removed_text
    await session.execute(update(Idea).where(col(Idea.author_ref) == ref).values(**values))
    if delete_text:
        comments = await session.execute(delete(Comment).where(col(Comment.author_ref) == ref))
    else:
        comments = await session.execute(update(Comment).where(col(Comment.author_ref) == ref)
                                          .values(author_ref=FORMER_PARTICIPANT))
    await session.execute(update(StatusChange).where(col(StatusChange.by_ref) == ref).values(by_ref=FORMER_PARTICIPANT))
    await session.execute(update(IdeaTheme).where(col(IdeaTheme.added_by) == ref).values(added_by=FORMER_PARTICIPANT))
    answer_values: dict[str, object] = {"author_ref": FORMER_PARTICIPANT}
    if delete_text:
        answer_values["text"] = removed_text
    await session.execute(update(IdeaHourAnswer).where(col(IdeaHourAnswer.author_ref) == ref).values(**answer_values))
    await session.execute(update(IdeaHourRun).where(col(IdeaHourRun.started_by) == ref)
                          .values(started_by=FORMER_PARTICIPANT))
    await session.execute(
        update(FikaRound).where(col(FikaRound.started_by) == ref).values(started_by=FORMER_PARTICIPANT)
    )
    await session.execute(update(SuggestedTheme).where(col(SuggestedTheme.suggested_to) == ref)
                          .values(suggested_to=FORMER_PARTICIPANT))
    return {i for i in idea_ids if i is not None}, int(comments.rowcount or 0)  # type: ignore[attr-defined]


async def remove_personal_rows(session: AsyncSession, *, ref: str, audit_name: str) -> int:
    """Deletes the participant row, their display name, their conversation references and messages addressed to
    them; their name in the audit log becomes `audit_name`. Returns how many rows were deleted."""
    deleted = 0
    for statement in (
        delete(Participant).where(col(Participant.ref) == ref),
        delete(DisplayName).where(col(DisplayName.ref) == ref),
        delete(ConversationReference).where(col(ConversationReference.key).in_(reference_keys(ref))),
        delete(OutboxMessage).where(addressed_to(ref)),
        delete(PendingIdea).where(col(PendingIdea.author_ref) == ref),
        delete(IdeaDraft).where(col(IdeaDraft.author_ref) == ref),
        delete(Comparison).where(col(Comparison.person_ref) == ref),
        delete(FikaPerson).where(col(FikaPerson.ref) == ref),
        delete(FikaMember).where(col(FikaMember.person_ref) == ref),
        delete(IdeaHourAgreement).where(col(IdeaHourAgreement.person_ref) == ref),
        delete(IdeaHourEarlyReaction).where(col(IdeaHourEarlyReaction.person_ref) == ref),
        delete(IdeaHourReminderRequest).where(col(IdeaHourReminderRequest.person_ref) == ref),
        delete(IdentityAlias).where(or_(col(IdentityAlias.ref) == ref, col(IdentityAlias.alias_ref) == ref)),
    ):
        deleted += int((await session.execute(statement)).rowcount or 0)  # type: ignore[attr-defined]
    await polis.forget(session, ref=ref)  # their Polis pid no longer names them (and is never reused)
    await session.execute(update(AuditEntry).where(col(AuditEntry.actor_ref) == ref).values(actor_ref=audit_name))
    return deleted


async def stored_about(session: AsyncSession, *, ref: str) -> dict[str, list]:
    """Every row that names the person, by table (for a subject access request)."""
    def rows(model, *conditions):
        return select(model).where(or_(*conditions))

    found: dict[str, list] = {}
    for name, query in (
        ("participant", rows(Participant, col(Participant.ref) == ref)),
        ("polis_pseudonym", rows(PolisPseudonym, col(PolisPseudonym.ref) == ref)),
        ("display_name", rows(DisplayName, col(DisplayName.ref) == ref)),
        ("ideas", rows(Idea, col(Idea.author_ref) == ref)),
        ("comments", rows(Comment, col(Comment.author_ref) == ref)),
        ("votes", rows(Vote, col(Vote.voter_ref) == ref)),
        ("vote_reactions", rows(VoteReaction, col(VoteReaction.voter_ref) == ref)),
        ("decisions_made", rows(StatusChange, col(StatusChange.by_ref) == ref)),
        ("themes_added", rows(IdeaTheme, col(IdeaTheme.added_by) == ref)),
        ("audit_entries", rows(AuditEntry, col(AuditEntry.actor_ref) == ref)),
        (
            "conversation_references",
            rows(ConversationReference, col(ConversationReference.key).in_(reference_keys(ref))),
        ),
        ("messages_to_them", rows(OutboxMessage, addressed_to(ref))),
        ("idea_hour_answers", rows(IdeaHourAnswer, col(IdeaHourAnswer.author_ref) == ref)),
        ("idea_hour_agreements", rows(IdeaHourAgreement, col(IdeaHourAgreement.person_ref) == ref)),
        ("comparisons", rows(Comparison, col(Comparison.person_ref) == ref)),
        ("idea_hour_reminder_requests", rows(IdeaHourReminderRequest, col(IdeaHourReminderRequest.person_ref) == ref)),
        ("fika_person", rows(FikaPerson, col(FikaPerson.ref) == ref)),
        ("fika_groups", rows(FikaMember, col(FikaMember.person_ref) == ref)),
        ("other_ids", rows(IdentityAlias, col(IdentityAlias.ref) == ref, col(IdentityAlias.alias_ref) == ref)),
    ):
        found[name] = list((await session.execute(query)).scalars())
    return found


async def everyone(session: AsyncSession) -> set[str]:
    """Every person any row names (authors, voters, commenters, deciders, participants)."""
    refs: set[str | None] = set()
    for column in (
        col(Participant.ref),
        col(DisplayName.ref),
        col(Idea.author_ref),
        col(Comment.author_ref),
        col(Vote.voter_ref),
        col(VoteReaction.voter_ref),
        col(StatusChange.by_ref),
        col(IdeaTheme.added_by),
        col(IdeaHourAnswer.author_ref),
        col(IdeaHourAgreement.person_ref),
        col(FikaPerson.ref),
        col(FikaMember.person_ref),
        col(Comparison.person_ref),
        col(IdeaHourReminderRequest.person_ref),
        col(PolisPseudonym.ref),
    ):
        refs |= set((await session.execute(select(column).distinct())).scalars())
    return {ref for ref in refs if ref and not ref.startswith(("former:", "import:"))}  # a retired pid: None


async def pseudonymise_votes(session: AsyncSession, *, ref: str, pseudonym: str) -> None:
    """Keeps a person's votes as a stranger's: every count, distinct voters over merged ideas included, stays."""
    await session.execute(update(Vote).where(col(Vote.voter_ref) == ref).values(voter_ref=pseudonym))
    await session.execute(update(VoteReaction).where(col(VoteReaction.voter_ref) == ref).values(voter_ref=pseudonym))


async def pseudonymise_comparisons(session: AsyncSession, *, ref: str, pseudonym: str) -> None:
    """Keeps a person's "A or B?" answers as a stranger's, so the preference scores stay as they were."""
    await session.execute(update(Comparison).where(col(Comparison.person_ref) == ref).values(person_ref=pseudonym))
