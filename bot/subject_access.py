"""A subject access document: everything stored about one person, in a documented JSON layout (docs/DATA.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage import erasure
from storage.models import Comparison, Idea

LAYOUT_VERSION = 1


async def subject_access_document(session: AsyncSession, *, ref: str, now: datetime) -> dict[str, object]:
    found = await erasure.stored_about(session, ref=ref)
    idea_ids = {row.idea_id for name in ("comments", "votes", "vote_reactions", "decisions_made", "themes_added")
                for row in found[name]}
    idea_ids |= {side for row in found["comparisons"] for side in (row.idea_a_id, row.idea_b_id)}
    rows = (await session.execute(select(col(Idea.id), col(Idea.number)).where(col(Idea.id).in_(idea_ids)))).all() \
        if idea_ids else []
    numbers = {idea_id: number for idea_id, number in rows if idea_id is not None}
    participant = found["participant"][0] if found["participant"] else None
    by_number = sorted(found["ideas"], key=lambda idea: idea.number)
    return {
        "layout_version": LAYOUT_VERSION,
        "person": ref,
        "generated_at": now.isoformat(),
        "participant": None if participant is None else {
            "display_name": participant.display_name, "weekly_updates": participant.notifications,
            "first_seen": participant.first_seen, "first_contribution_at": participant.first_contribution_at},
        "display_name": None if not found["display_name"] else {
            "name": found["display_name"][0].name, "updated_at": found["display_name"][0].updated_at},
        "ideas": [{"number": i.number, "challenge": i.challenge_key, "text": i.text, "anonymous": i.anonymous,
                   "status": i.status, "horizon": i.horizon, "created_at": i.created_at} for i in by_number],
        "comments": [{"idea": numbers.get(c.idea_id), "text": c.text, "created_at": c.created_at}
                     for c in found["comments"]],
        "votes": [{"idea": numbers.get(v.idea_id), "created_at": v.created_at} for v in found["votes"]],
        "vote_reactions": [{"idea": numbers.get(r.idea_id), "emoji": r.emoji} for r in found["vote_reactions"]],
        "decisions_made": [{"idea": numbers.get(s.idea_id), "from": s.from_status, "to": s.to_status,
                            "note": s.note, "created_at": s.created_at} for s in found["decisions_made"]],
        "themes_added": [{"idea": numbers.get(t.idea_id), "theme": t.theme, "created_at": t.created_at}
                         for t in found["themes_added"]],
        "audit_entries": [{"at": a.at, "action": a.action, "idea": a.idea_number, "detail": a.detail}
                          for a in found["audit_entries"]],
        "conversation_references": [{"key": c.key, "reference": c.reference, "updated_at": c.updated_at}
                                    for c in found["conversation_references"]],
        "idea_hour_answers": [{"text": a.text, "created_at": getattr(a, "created_at", None)}
                              for a in found["idea_hour_answers"]],
        "idea_hour_agreements": len(found["idea_hour_agreements"]),
        "comparisons": [{"ideas": [numbers.get(c.idea_a_id), numbers.get(c.idea_b_id)],
                         "chose": _chose(c, numbers), "at": c.at} for c in found["comparisons"]],
        "idea_hour_reminders_asked_for": [r.hour_key for r in found["idea_hour_reminder_requests"]],
        "fika": [{"name": f.name, "team": f.team, "site": f.site, "profession": f.profession, "email": f.email,
                  "opted_in": f.opted_in} for f in found["fika_person"]],
        "fika_groups": [{"group": m.group_id, "round": m.round_id, "outcome": m.outcome}
                        for m in found["fika_groups"]],
        "other_ids": [a.alias_ref for a in found["other_ids"]],
        "polis_pid": found["polis_pseudonym"][0].pid if found["polis_pseudonym"] else None,
        "messages_to_them": [{"kind": m.kind, "state": m.state, "created_at": m.created_at,
                              "text": (m.payload or {}).get("text")} for m in found["messages_to_them"]],
    }


def _chose(comparison: Comparison, numbers: dict[int, int]) -> int | str:
    """The number of the idea the person preferred, or "can't decide"."""
    if comparison.outcome == "tie":
        return "can't decide"
    winner = comparison.idea_a_id if comparison.outcome == "a" else comparison.idea_b_id
    return numbers.get(winner, "an idea no longer stored")
