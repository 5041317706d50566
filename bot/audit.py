"""What goes in the audit log for each manager command: the action, the idea and a short description."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import grammar
from bot.context import Core
from storage import audit


def describe(command: grammar.Command | grammar.MaybeIdea) -> tuple[str, int | None, str] | None:
    """(action, idea number, detail) for commands that change the campaign on a manager's authority, else None.

    The detail holds what the manager chose (a status, horizon or theme), never an idea's or a note's text."""
    match command:
        case grammar.SetStatus(number=number, status=status, note=note):
            return "status", number, status + (" (with a note)" if note.strip() else "")
        case grammar.SetHorizon(number=number, horizon=horizon):
            return "horizon", number, horizon
        case grammar.ChangeTheme(number=number, theme=theme, remove=remove):
            return ("theme removed" if remove else "theme added"), number, " ".join(theme.split())
        case grammar.Merge(duplicate=duplicate, survivor=survivor):
            return "merge", duplicate, f"into #{survivor}"
        case grammar.Unmerge(number=number):
            return "unmerge", number, ""
        case grammar.Prompt(challenge=challenge):
            return "prompt sent", None, challenge or "the channel's challenge"
        case grammar.Digest(preview=False):
            return "digest sent", None, ""
    return None


async def record_command(core: Core, session: AsyncSession, command: grammar.Command | grammar.MaybeIdea,
                         actor_ref: str) -> None:
    """Records the command if it is one the log keeps; call it in the same transaction as the change."""
    described = describe(command)
    if described is not None:
        action, number, detail = described
        await audit.record(session, actor_ref=actor_ref, action=action, idea_number=number, detail=detail,
                           now=core.now())
