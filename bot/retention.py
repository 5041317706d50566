"""Retention: `data_protection.retention_days_after_close` days after a campaign's last challenge closes, its
personal data is anonymised: votes and "A or B?" answers are kept under pseudonyms (so every figure and score
stays as it was), ideas and comments become a former participant's, and every other row about a person is
deleted."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from bot.context import Core
from storage import audit, erasure


def retention_due(core: Core) -> date | None:
    """The day anonymisation is due, or None when retention is off or some challenge never closes."""
    days = core.config.data_protection.retention_days_after_close
    closes = [challenge.closes for challenge in core.config.challenges]
    if days is None or any(day is None for day in closes):
        return None
    return max(day for day in closes if day is not None) + timedelta(days=days)


async def apply_retention(core: Core) -> int:
    """Anonymises everyone if retention is due; returns how many people were anonymised (0 when not due)."""
    due = retention_due(core)
    if due is None or core.today() < due:
        return 0
    async with core.db.transaction() as session:
        people = sorted(await erasure.everyone(session))
        for ref in people:
            stranger = f"former:{secrets.token_hex(8)}"
            await erasure.pseudonymise_votes(session, ref=ref, pseudonym=stranger)
            await erasure.pseudonymise_comparisons(session, ref=ref, pseudonym=stranger)
            await erasure.unlink_contributions(session, ref=ref, delete_text=False, removed_text="")
            await erasure.remove_personal_rows(session, ref=ref, audit_name=stranger)
        if people:
            await audit.record(session, actor_ref="retention", action="retention anonymisation",
                               detail=f"{len(people)} people, due {due.isoformat()}", now=core.now())
    return len(people)
