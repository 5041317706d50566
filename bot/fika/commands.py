"""`/idea fika on|off|skip|round` and the buttons on fika messages (answers, stay in, share an idea)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.errors import UserError
from bot.events import ActionInvoked, Actor
from bot.fika import compose
from bot.fika.rounds import run_round, settings
from bot.message import ChallengeChoice, IdeaForm, Message
from bot.roles import MANAGERS
from storage import fika

FIKA_SOURCE = "fika:"  # an idea form opened from a fika group carries "fika:<group id>" back


async def run_fika_command(core: Core, session: AsyncSession, action: str, actor: Actor) -> Message:
    settings(core)
    ref, now, word = actor.ref, core.now(), core.command_word(actor.platform)
    if action == "on":
        await fika.set_choice(session, ref=ref, now=now, name=actor.display_name, opted_in=True, skip_next=False)
        return Message(text="You're in fika: each round you'll be put with colleagues at random to talk about "
                            f"one of the campaign's questions. {compose.how_to_stop(word)}")
    if action == "off":
        await fika.set_choice(session, ref=ref, now=now, name=actor.display_name, opted_in=False, skip_next=False)
        return Message(text=f"You're out of fika: you won't be paired from now on. `{word} fika on` brings you back.")
    if action == "skip":
        person = await fika.get_person(session, ref=ref)
        if person is None or not person.opted_in:
            raise UserError(f"You're not in fika, so there is no round to skip. `{word} fika on` to join.")
        await fika.set_choice(session, ref=ref, now=now, skip_next=True)
        return Message(text="You'll sit out the next fika round, and be paired again in the one after.")
    core.require(ref, MANAGERS, "start a fika round")
    return await run_round(core, session, started_by=ref, at=now)


async def run_fika_action(core: Core, session: AsyncSession, event: ActionInvoked) -> Message:
    ref, now = event.actor.ref, core.now()
    if event.action in compose.OUTCOME_ACTIONS:
        outcome = compose.OUTCOME_ACTIONS[event.action]
        if not event.value.isdigit() or not await fika.record_outcome(
                session, round_id=int(event.value), person_ref=ref, outcome=outcome, now=now):
            raise UserError("That fika round wasn't one of yours, so nothing was recorded.")
        return Message(text=f"Thanks, noted: {compose.OUTCOME_WORDS[outcome]}.")
    if event.action in (compose.STAY_ACTION, compose.LEAVE_ACTION):
        staying = event.action == compose.STAY_ACTION
        await fika.set_choice(session, ref=ref, now=now, opted_in=staying)
        return Message(text="Great, you stay in fika." if staying
                       else f"You're out of fika for now. `{core.command_word(event.actor.platform)} fika on` "
                            "brings you back any time.")
    if event.action in (compose.JOIN_ACTION, compose.OFF_ACTION):  # the round announcement's buttons
        choice = "on" if event.action == compose.JOIN_ACTION else "off"
        return await run_fika_command(core, session, choice, event.actor)
    if event.action == compose.IDEA_ACTION:
        return await _idea_form(core, session, event.value, ref)
    raise UserError("That button is no longer in use, so nothing was changed.")


async def _idea_form(core: Core, session: AsyncSession, value: str, ref: str) -> Message:
    group_id = int(value) if value.isdigit() else None
    members = await fika.group_members(session, group_id=group_id) if group_id is not None else []
    if ref not in {member.person_ref for member in members}:
        raise UserError("That fika group wasn't yours, so I can't open its idea form.")
    fika_round = await fika.get_round(session, round_id=members[0].round_id)
    open_now = core.open_challenges()
    if not open_now:
        raise UserError("No challenge is open for ideas right now.")
    default = fika_round.challenge_key if fika_round else None
    if default not in {c.key for c in open_now}:
        default = open_now[0].key
    form = IdeaForm(tuple(ChallengeChoice(c.key, c.title) for c in open_now), default,
                    core.config.campaign.idea_max_length, source=f"{FIKA_SOURCE}{group_id}")
    return Message(text="Share an idea from your fika chat: pick a challenge and write it down.", form=form)


async def link_fika_idea(session: AsyncSession, *, source: str | None, idea_id: int, author_ref: str) -> None:
    """Counts an idea as coming from a fika conversation when its form was opened from the author's group."""
    if not source or not source.startswith(FIKA_SOURCE) or not source[len(FIKA_SOURCE):].isdigit():
        return
    group_id = int(source[len(FIKA_SOURCE):])
    if author_ref in {member.person_ref for member in await fika.group_members(session, group_id=group_id)}:
        await fika.link_idea(session, idea_id=idea_id, group_id=group_id)
