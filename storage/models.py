"""SQLModel tables: the campaign's ideas, votes, comments and decisions, plus delivery bookkeeping."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Datetimes are timezone-aware UTC (SQLModel stores them as UTC and returns them aware).


class Campaign(SQLModel, table=True):
    """One row per deployment; holds the counter behind the short idea numbers (#42)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    next_idea_number: int = 1


class Participant(SQLModel, table=True):
    """Anyone who has used the bot, keyed by a platform-scoped reference such as 'slack:U123'."""

    ref: str = Field(primary_key=True, max_length=200)
    display_name: str = ""
    notifications: bool = True
    first_seen: datetime
    # Set by the first idea, vote or comment: "participants" counts these rows, which at national scale
    # is an index read instead of a distinct over every vote.
    first_contribution_at: datetime | None = Field(default=None, index=True)


class Idea(SQLModel, table=True):
    __table_args__ = (
        Index("ix_idea_challenge_status", "challenge_key", "status"),
        Index("ix_idea_challenge_votes", "challenge_key", "vote_count"),
        Index("ix_idea_votes", "vote_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    challenge_key: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_ref: str = Field(max_length=200, index=True)
    anonymous: bool = False
    status: str = Field(default="new", max_length=32)
    horizon: str | None = Field(default=None, max_length=2)
    merged_into_id: int | None = Field(default=None, foreign_key="idea.id", index=True)
    # Distinct voters, kept in step with the vote table in the same transaction: for a surviving idea
    # across it and the duplicates merged into it; for a merged duplicate, its own. Top-ideas queries
    # then read an index instead of aggregating a million votes.
    vote_count: int = 0
    created_at: datetime = Field(index=True)
    updated_at: datetime


class Vote(SQLModel, table=True):
    """One vote per voter per idea (the constraint is the guard against double counting)."""

    __table_args__ = (UniqueConstraint("idea_id", "voter_ref", name="uq_vote_idea_voter"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id")  # uq_vote_idea_voter serves lookups by idea
    voter_ref: str = Field(max_length=200, index=True)
    created_at: datetime


class VoteReaction(SQLModel, table=True):
    """Which vote emoji a person has on an idea post: the vote stays while any of them remains."""

    __table_args__ = (UniqueConstraint("idea_id", "voter_ref", "emoji", name="uq_reaction_idea_voter_emoji"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id")  # uq_reaction_idea_voter_emoji serves lookups by idea
    voter_ref: str = Field(max_length=200)
    emoji: str = Field(max_length=100)


class Comment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    author_ref: str = Field(max_length=200, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    source_ref: str | None = Field(default=None, unique=True, max_length=300)
    created_at: datetime = Field(index=True)


class StatusChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    from_status: str = Field(max_length=32)
    to_status: str = Field(max_length=32)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    by_ref: str = Field(max_length=200)
    created_at: datetime = Field(index=True)


class IdeaTheme(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("idea_id", "theme", name="uq_theme_idea_theme"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    theme: str = Field(max_length=60)
    added_by: str = Field(max_length=200)
    created_at: datetime


class InboundEvent(SQLModel, table=True):
    """Platform event ids already processed: retries and replays hit the primary key and count once."""

    key: str = Field(primary_key=True, max_length=300)
    received_at: datetime


class PendingIdea(SQLModel, table=True):
    """A text that began with a command word but did not fit the command, held for its author alone until they
    press "Post as idea": the button carries only this random token, never the text."""

    token: str = Field(primary_key=True, max_length=64)
    author_ref: str = Field(max_length=200)
    challenge_key: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(index=True)


class IdeaPost(SQLModel, table=True):
    """Where the bot posted an idea, so reactions and thread replies can be traced back to it."""

    __table_args__ = (UniqueConstraint("platform", "conversation", "message_id", name="uq_post_message"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    platform: str = Field(max_length=20)
    conversation: str = Field(max_length=300)
    message_id: str = Field(max_length=300)
    created_at: datetime


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be delivered, written in the same transaction as the change behind it."""

    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_lane", "platform", "lane", "state", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    kind: str = Field(max_length=20)  # post | direct | idea_post | idea_update
    conversation: str | None = Field(default=None, max_length=300)
    user_ref: str | None = Field(default=None, max_length=200)
    # The delivery queue this row waits in: its conversation, or "user:<id>" for a direct message. Indexed,
    # so "is anything earlier still waiting in my lane" is a lookup even with thousands of rows queued.
    lane: str = Field(default="", max_length=320)
    thread: str | None = Field(default=None, max_length=300)
    idea_id: int | None = Field(default=None, foreign_key="idea.id")
    payload: dict | None = Field(default=None, sa_column=Column(JSON))
    # Pending updates of one post share a key, so a burst of votes becomes one chat.update.
    coalesce_key: str | None = Field(default=None, unique=True, max_length=300)
    state: str = Field(default="pending", max_length=12)  # pending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    platform_message_id: str | None = Field(default=None, max_length=300)
    created_at: datetime
    sent_at: datetime | None = None


class ConversationReference(SQLModel, table=True):
    """What a platform needs to message a channel or person later (Teams proactive messaging)."""

    key: str = Field(primary_key=True, max_length=400)  # "teams:<conversation id>" or "teams:user:<aad id>"
    platform: str = Field(max_length=20)
    reference: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class DisplayName(SQLModel, table=True):
    """How a person is shown (their platform display name), so posts, digests and exports need no raw ids.
    `updated_at` says when the platform last told us, so a name looked up on demand (Slack) is refreshed."""

    ref: str = Field(primary_key=True, max_length=200)
    name: str = Field(max_length=200)
    updated_at: datetime


class IdentityAlias(SQLModel, table=True):
    """A second id one platform uses for a person ('teams:29:...' beside 'teams:<Entra object id>'), linked to
    their primary reference as soon as one event shows both, so one person is one participant."""

    alias_ref: str = Field(primary_key=True, max_length=200)
    ref: str = Field(max_length=200, index=True)
    created_at: datetime


class ScheduleClaim(SQLModel, table=True):
    """One row per scheduled fire: the first process to insert it does the work, the others skip."""

    __table_args__ = (UniqueConstraint("job_id", "fire_time", name="uq_claim_job_fire"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=200)
    fire_time: datetime
    claimed_by: str = Field(max_length=200)
    claimed_at: datetime


class AuditEntry(SQLModel, table=True):
    """Who did what to the campaign: every manager, leader and admin action, for an information-governance review."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_ref: str = Field(max_length=200)  # the person, or "cli" / "scheduler"; never an erased person
    action: str = Field(max_length=40)
    idea_number: int | None = None
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class IdeaHourRun(SQLModel, table=True):
    """An idea hour once started (by its schedule or by hand): at most one per hour key."""

    id: int | None = Field(default=None, primary_key=True)
    hour_key: str = Field(max_length=40, unique=True)
    challenge_key: str = Field(max_length=40)
    started_by: str = Field(max_length=200)  # "schedule" or the host's reference
    started_at: datetime
    ended_at: datetime | None = None


class IdeaHourQuestion(SQLModel, table=True):
    """A question of an hour once posted; the unique position makes a second post of it impossible."""

    __table_args__ = (UniqueConstraint("run_id", "position", name="uq_hour_question_position"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="ideahourrun.id", index=True)
    position: int  # 1 for Q1
    text: str = Field(sa_column=Column(Text, nullable=False))
    posted_at: datetime


class IdeaHourPost(SQLModel, table=True):
    """Where a question was posted, so thread replies (answers) can be traced back to it."""

    __table_args__ = (UniqueConstraint("platform", "conversation", "message_id", name="uq_hour_post_message"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="ideahourquestion.id", index=True)
    platform: str = Field(max_length=20)
    conversation: str = Field(max_length=300)
    message_id: str = Field(max_length=300)


class IdeaHourAnswer(SQLModel, table=True):
    """A reply in a question's thread; its number within the question is its rank by id."""

    __table_args__ = (UniqueConstraint("platform", "conversation", "message_id", name="uq_hour_answer_message"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="ideahourquestion.id", index=True)
    platform: str = Field(max_length=20)
    conversation: str = Field(max_length=300)
    message_id: str = Field(max_length=300)
    author_ref: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    promoted_idea_id: int | None = Field(default=None, foreign_key="idea.id")


class IdeaHourAgreement(SQLModel, table=True):
    """A reaction on an answer: a person agrees while any of their reactions on it remains."""

    __table_args__ = (UniqueConstraint("answer_id", "person_ref", "emoji", name="uq_hour_agreement"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="ideahouranswer.id", index=True)
    person_ref: str = Field(max_length=200)
    emoji: str = Field(max_length=100)
    created_at: datetime


class IdeaHourEarlyReaction(SQLModel, table=True):
    """A reaction in a running hour's channel on a message not (yet) known as an answer: kept until the answer
    is stored (a backlog can deliver the reaction first), then it becomes an agreement."""

    __table_args__ = (UniqueConstraint("platform", "conversation", "message_id", "person_ref", "emoji",
                                       name="uq_hour_early_reaction"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    conversation: str = Field(max_length=300)
    message_id: str = Field(max_length=300)
    person_ref: str = Field(max_length=200)
    emoji: str = Field(max_length=100)
    created_at: datetime


class IdeaHourReminderRequest(SQLModel, table=True):
    """Someone pressed "Remind me" on an hour's announcement: one row per person and hour (pressing again changes
    nothing); `sent_at` is set when their private reminder is queued at the start."""

    __table_args__ = (UniqueConstraint("hour_key", "person_ref", name="uq_hour_reminder_request"),)

    id: int | None = Field(default=None, primary_key=True)
    hour_key: str = Field(max_length=40, index=True)
    person_ref: str = Field(max_length=200)
    requested_at: datetime
    sent_at: datetime | None = None


from storage import fika_models  # noqa: E402, F401  (registers the fika tables on the same metadata)


class IdeaDraft(SQLModel, table=True):
    """An idea held back while its author answers "Is your idea one of these?"; its text is cleared once they
    choose (it became a comment or an idea), so no unposted text outlives the choice."""

    id: int | None = Field(default=None, primary_key=True)
    author_ref: str = Field(max_length=200, index=True)
    challenge_key: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    anonymous: bool = False
    suggested: str = Field(default="", max_length=200)  # the idea numbers offered, e.g. "12,40,7"
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: str = Field(default="", max_length=40)  # "back:12" or "posted:51"


class SuggestedTheme(SQLModel, table=True):
    """A theme suggested to a manager for a cluster of ideas; applied only when a manager says so."""

    id: int | None = Field(default=None, primary_key=True)
    challenge_key: str = Field(max_length=40)
    theme: str = Field(max_length=60)
    idea_numbers: str = Field(sa_column=Column(Text, nullable=False))  # "12,40,7", most representative first
    suggested_to: str = Field(max_length=200)
    created_at: datetime
    applied_at: datetime | None = None


class Comparison(SQLModel, table=True):
    """One answer to "A or B?": which of two ideas a person preferred. The pair is stored lower id first, so the
    constraint keeps one answer per person per pair whichever way round it was shown."""

    __table_args__ = (UniqueConstraint("person_ref", "idea_a_id", "idea_b_id", name="uq_comparison_person_pair"),
                      Index("ix_comparison_challenge", "challenge_key"))

    id: int | None = Field(default=None, primary_key=True)
    person_ref: str = Field(max_length=200, index=True)
    challenge_key: str = Field(max_length=40)
    idea_a_id: int = Field(foreign_key="idea.id")
    idea_b_id: int = Field(foreign_key="idea.id")
    outcome: str = Field(max_length=4)  # "a", "b" or "tie" (can't decide)
    at: datetime


class PolisPseudonym(SQLModel, table=True):
    """A person's Polis participant id (pid) in the Polis-format export: assigned once, the first time they appear
    in one, and never reused, so pid N is the same person in every export. Erasure, retention and linking a
    second id clear `ref` (the pid stays taken, naming nobody); a newcomer gets the highest pid + 1."""

    pid: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    ref: str | None = Field(default=None, max_length=200, unique=True)


class CommentPost(SQLModel, table=True):
    """Where the bot re-posted a comment in an idea's thread (the text someone wrote when they backed an idea
    instead of posting theirs), so erasing its author can blank that copy too. Keyed by the comment's source_ref."""

    __table_args__ = (UniqueConstraint("platform", "conversation", "message_id", name="uq_commentpost_message"),)

    id: int | None = Field(default=None, primary_key=True)
    source_ref: str = Field(max_length=300, index=True)
    platform: str = Field(max_length=40)
    conversation: str = Field(max_length=200)
    thread: str | None = Field(default=None, max_length=200)
    message_id: str = Field(max_length=200)
    created_at: datetime
