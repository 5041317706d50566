"""Tables of randomised fika: people's attributes and choices, rounds with their seeds, groups, outcomes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class FikaPerson(SQLModel, table=True):
    """Someone who may be paired: attributes from the people CSV, and whether they take part."""

    ref: str = Field(primary_key=True, max_length=200)  # 'slack:U123', as everywhere else
    name: str = Field(default="", max_length=200)
    team: str | None = Field(default=None, max_length=200)
    site: str | None = Field(default=None, max_length=200)
    profession: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200)  # Teams chat links name people by sign-in address
    opted_in: bool = Field(default=False, index=True)
    skip_next: bool = False  # sits out the next round only
    stay_asked_round: int | None = None  # the round after which they were asked whether to stay in
    updated_at: datetime


class FikaRound(SQLModel, table=True):
    """One round: the seed its groups were drawn from (so it can be audited and reproduced)."""

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    seed: int = Field(sa_column=Column(BigInteger, nullable=False))
    challenge_key: str = Field(max_length=40)
    question: str = Field(max_length=2000)
    started_by: str = Field(max_length=200)  # 'schedule', 'cli' or the manager's ref
    started_at: datetime
    follow_up_at: datetime = Field(index=True)
    followed_up_at: datetime | None = None


class FikaGroup(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="fikaround.id", index=True)
    position: int  # order within the round, as drawn


class FikaMember(SQLModel, table=True):
    """A person in a group, with their answer to "Did you meet?" (met, not_yet, cant; None: no answer)."""

    __table_args__ = (
        UniqueConstraint("round_id", "person_ref", name="uq_fikamember_round_person"),
        Index("ix_fikamember_person_round", "person_ref", "round_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="fikagroup.id", index=True)
    round_id: int = Field(foreign_key="fikaround.id")
    person_ref: str = Field(max_length=200)
    outcome: str | None = Field(default=None, max_length=12)
    answered_at: datetime | None = None


class FikaIdea(SQLModel, table=True):
    """An idea submitted through a group's "Share an idea from our chat" button."""

    idea_id: int = Field(primary_key=True, foreign_key="idea.id")
    group_id: int = Field(foreign_key="fikagroup.id", index=True)
