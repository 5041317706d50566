"""`/idea hour start|next|end`: hosts and community managers move an idea hour on by hand."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import IdeaHourConfig
from bot.context import Core
from bot.errors import Refused, UserError
from bot.events import Address
from bot.grammar import HourControl
from bot.hour import run as hour_run
from bot.message import Message
from bot.roles import MANAGERS
from storage import hours
from storage.models import IdeaHourRun


def can_host(core: Core, hour: IdeaHourConfig, ref: str) -> bool:
    """The hour's hosts (default: every community manager) and community managers or admins."""
    return ref in hour.hosts or bool(core.roles(ref) & MANAGERS)


def find_hour(core: Core, key: str) -> IdeaHourConfig:
    hour = core.config.idea_hour(key)
    if hour is None:
        known = ", ".join(h.key for h in core.config.idea_hours) or "none is configured in app.yaml (idea_hours)"
        raise UserError(f"There is no idea hour called {key!r}. Idea hours: {known}.")
    return hour


async def _running(core: Core, session: AsyncSession, key: str | None, address: Address
                   ) -> tuple[IdeaHourConfig, IdeaHourRun]:
    """The named hour's run, else the one running in this channel, else the only one running."""
    if key is not None:
        hour = find_hour(core, key)
        run = await hours.get_run(session, hour_key=key, for_update=True)
        if run is None or run.ended_at is not None:
            state = "has not started" if run is None else "has ended"
            raise UserError(f"The idea hour {key!r} {state}. Nothing was changed.")
        return hour, run
    running = [(h, r) for r in await hours.open_runs(session) if (h := core.config.idea_hour(r.hour_key))]
    here = [(h, r) for h, r in running if (address.platform, address.conversation) in hour_run.hour_channels(core, h)]
    chosen = here or running
    if len(chosen) != 1:
        keys = ", ".join(h.key for h, _ in running)
        raise UserError("No idea hour is running. Nothing was changed." if not running else
                        f"Several idea hours are running ({keys}): name one, e.g. `hour next {running[0][0].key}`.")
    hour, run = chosen[0]
    locked = await hours.get_run(session, hour_key=hour.key, for_update=True)
    return hour, locked or run


async def run_hour_command(core: Core, session: AsyncSession, command: HourControl, ref: str, address: Address,
                           command_word: str = "/idea") -> Message:
    if command.action == "start":
        hour = find_hour(core, command.key or "")
        _require_host(core, hour, ref, "start")
        run = await hour_run.start_hour(core, session, hour, started_by=ref)
        if run is None:
            raise UserError(f"The idea hour {hour.key!r} was started already. Nothing was changed.")
        return Message(text=f"The idea hour {hour.title!r} has started: the opening and Q1 are on their way. "
                            f"`{command_word} hour next` posts the next question, `{command_word} hour end` closes it.")
    hour, run = await _running(core, session, command.key, address)
    _require_host(core, hour, ref, "move on")
    if command.action == "next":
        position = await hour_run.next_question(core, session, hour, run)
        if position is None:
            raise UserError(f"All {len(hour.questions)} questions of {hour.key!r} are out. "
                            f"`{command_word} hour end {hour.key}` closes the hour. Nothing was changed.")
        return Message(text=f"Q{position} of {hour.key!r} is on its way.")
    await hour_run.end_hour(core, session, hour, run)
    return Message(text=f"The idea hour {hour.title!r} has ended; the summary is on its way. "
                        f"`crowdbot hour report {hour.key}` writes the full transcript.")


def _require_host(core: Core, hour: IdeaHourConfig, ref: str, what: str) -> None:
    if not can_host(core, hour, ref):
        raise Refused(f"Only the hosts of {hour.key!r} and community managers can {what} an idea hour. "
                      f"Nothing was changed.")
