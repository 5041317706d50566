"""Runs one parsed command for one person: permission check, service call, reply message."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot import announcements, grammar
from bot.compare import rounds as compare_rounds
from bot.compare.ranking import preference_label, top_by_preference
from bot.compose import (
    help_message,
    horizon_label,
    idea_card,
    idea_line,
    idea_list,
    note_action,
    note_excerpt,
    shorten,
    status_label,
)
from bot.config import ChallengeConfig
from bot.context import Core
from bot.errors import UserError
from bot.events import Actor, Address
from bot.fika.commands import run_fika_command
from bot.forget_me import forget_me
from bot.hour.anonymise import make_anonymous
from bot.hour.control import run_hour_command
from bot.hour.promote import promote_answer
from bot.message import ChallengeChoice, IdeaForm, Message
from bot.prepared import Prepared
from bot.roles import DECIDERS, MANAGERS
from bot.services import command_or_idea, ideas, moderation, stats, voting
from bot.similarity import choice as similar_choice
from bot.themes import chat as theme_chat
from storage import ideas as idea_store
from storage import participants

CHALLENGE_DESCRIPTION_EXCERPT = 200
MINE_NOTE_EXCERPT = 160  # a person may have dozens of ideas: each line stays short, 'show #N' has the rest


async def run_command(
    core: Core, session: AsyncSession, command: grammar.Command | grammar.MaybeIdea, actor: Actor, address: Address,
    *, prepared: Prepared | None = None,
) -> Message:
    """`prepared`: what the caller computed before this transaction (bot/prepared.py)."""
    prepared = prepared or Prepared()
    ref = actor.ref
    command_word = core.command_word(actor.platform)  # answers to a person are read where only the bot reads
    match command:
        case grammar.Help(problem=problem):
            return help_message(core.roles(ref), problem, command_word)
        case grammar.OpenForm():
            return _idea_form(core, address)
        case grammar.Submit(text=text, anonymous=anonymous):
            challenge = ideas.resolve_challenge(core, None, platform=address.platform,
                                                conversation=address.conversation)
            return await similar_choice.submit_or_ask(core, session, author_ref=ref, challenge=challenge, text=text,
                                                      anonymous=anonymous)
        case grammar.MaybeIdea(keyword=keyword, text=text):
            return await command_or_idea.ask_command_or_idea(
                core, session, actor=actor, address=address, keyword=keyword, text=text, command_word=command_word)
        case grammar.Top(challenge=key, text=text) | grammar.Prompt(challenge=key, text=text) \
                if key and core.config.challenge(key) is None:
            # "top snacks": no such challenge, so perhaps an idea that starts with the word.
            keyword = "top" if isinstance(command, grammar.Top) else "prompt"
            return await command_or_idea.ask_command_or_idea(
                core, session, actor=actor, address=address, keyword=keyword, text=text or f"{keyword} {key}",
                command_word=command_word)
        case grammar.Compare(challenge=key) if key and core.config.challenge(key) is None:
            return await command_or_idea.ask_command_or_idea(
                core, session, actor=actor, address=address, keyword="compare", text=f"compare {key}",
                command_word=command_word)
        case grammar.Compare(challenge=key):
            compared = ideas.resolve_challenge(core, key, platform=address.platform,
                                               conversation=address.conversation)
            return await compare_rounds.next_pair(core, session, person_ref=ref, challenge=compared,
                                                  command_word=command_word)
        case grammar.Top(challenge=key, by="preference"):
            ranked = ideas.resolve_challenge(core, key, platform=address.platform,
                                             conversation=address.conversation) if key else None
            return await _top_by_preference(session, ranked, command_word)
        case grammar.Top(challenge=key):
            ranked = ideas.resolve_challenge(core, key, platform=address.platform,
                                             conversation=address.conversation) if key else None
            rows = await idea_store.top_ideas(session, challenge_key=ranked.key if ranked else None, limit=10)
            title = f"Top ideas: {ranked.title}" if ranked else "Top ideas"
            return idea_list(title, [idea_line(i, v) for i, v in rows], "No ideas yet. Be the first!")
        case grammar.Mine():
            return await _mine(core, session, ref)
        case grammar.Stats():
            return await stats.stats_reply(core, session)
        case grammar.Show(number=number):
            idea = await ideas.find_idea(session, number)
            (view,) = await ideas.idea_views(core, session, [idea])
            return idea_card(view, core.config.voting.emoji)
        case grammar.CastVote(number=number, remove=remove):
            return await _vote(core, session, number, ref, remove)
        case grammar.SetStatus(number=number, status=status, note=note):
            core.require(ref, DECIDERS, "change an idea's status")
            idea = await ideas.find_idea(session, number, for_update=True)
            await moderation.change_status(core, session, idea=idea, status=status, note=note, by_ref=ref)
            return Message(text=f"Idea #{number} is now {status_label(status)}. Its author has been told.")
        case grammar.SetHorizon(number=number, horizon=horizon):
            core.require(ref, MANAGERS, "set horizons")
            idea = await ideas.find_idea(session, number, for_update=True)
            await moderation.set_horizon(core, session, idea=idea, horizon=horizon)
            return Message(text=f"Idea #{number} is now {horizon_label(horizon)}.")
        case grammar.ChangeTheme(number=number, theme=theme, remove=remove):
            core.require(ref, MANAGERS, "theme ideas")
            idea = await ideas.find_idea(session, number, for_update=True)  # orders it against a post's record
            name = await moderation.change_theme(core, session, idea=idea, theme=theme, remove=remove, by_ref=ref)
            verb = "no longer has" if remove else "now has"
            return Message(text=f"Idea #{number} {verb} the theme {name!r}.")
        case grammar.Merge(duplicate=dup_number, survivor=survivor_number):
            core.require(ref, MANAGERS, "merge ideas")
            duplicate = await ideas.find_idea(session, dup_number, for_update=True)
            survivor = await ideas.find_idea(session, survivor_number, for_update=True)
            await moderation.merge(core, session, duplicate=duplicate, survivor=survivor, by_ref=ref)
            return Message(text=f"Idea #{dup_number} is merged into #{survivor_number}; their votes now count "
                                f"together (once per person). `{command_word} unmerge #{dup_number}` undoes it.")
        case grammar.Unmerge(number=number):
            core.require(ref, MANAGERS, "unmerge ideas")
            duplicate = await ideas.find_idea(session, number, for_update=True)
            survivor = await moderation.unmerge(core, session, duplicate=duplicate, by_ref=ref)
            return Message(text=f"Idea #{number} is separate again from #{survivor.number}; votes are as before.")
        case grammar.Notifications(enabled=enabled):
            await participants.set_notifications(session, ref=ref, enabled=enabled)
            state = "on" if enabled else "off"
            return Message(text=f"Weekly updates about ideas you backed are now {state}. "
                                f"Updates about your own ideas always reach you.")
        case grammar.ForgetMe(confirmed=confirmed):
            return await forget_me(core, session, ref, confirmed=confirmed, command_word=command_word)
        case grammar.Prompt(challenge=key):
            core.require(ref, MANAGERS, "post challenge prompts")
            return await _prompt(core, session, key)
        case grammar.Fika(action=action):
            return await run_fika_command(core, session, action, actor)
        case grammar.Digest(preview=preview):
            core.require(ref, MANAGERS | DECIDERS if preview else MANAGERS, "send digests")
            return await announcements.run_digest_command(core, session, preview=preview, requested_by=ref,
                                                          chart=prepared.chart)
        case grammar.HourControl():
            return await run_hour_command(core, session, command, ref, address, command_word)
        case grammar.Promote():
            return await promote_answer(core, session, command, ref)
        case grammar.MakeAnonymous(number=number):
            return await make_anonymous(core, session, ref, number)
        case grammar.Duplicates(challenge=key):
            core.require(ref, MANAGERS, "see merge suggestions")
            return await theme_chat.duplicates_message(core, session, key, address, prepared.duplicates)
        case grammar.Themes(action=action, rest=rest):
            return await theme_chat.run_themes(core, session, ref, action, rest, address, prepared.themes)
    raise UserError("I didn't understand that. Try 'help'.")


def _idea_form(core: Core, address: Address) -> Message:
    open_now = core.open_challenges()
    if not open_now:
        raise UserError("No challenge is open for ideas right now.")
    channel_challenge = core.challenge_for(address.platform, address.conversation)
    default = channel_challenge.key if channel_challenge else open_now[0].key
    form = IdeaForm(tuple(ChallengeChoice(c.key, c.title) for c in open_now), default,
                    core.config.campaign.idea_max_length)
    return Message(text="Share an idea: pick a challenge and write your idea.", form=form)


async def home_messages(core: Core, session: AsyncSession, ref: str) -> tuple[Message, Message]:
    """A person's home page: their own ideas (status, last decision note), then the open challenges."""
    lines = [f"{c.title}: {shorten(c.description, CHALLENGE_DESCRIPTION_EXCERPT)}" if c.description else c.title
             for c in core.open_challenges()]
    challenges = idea_list("Open challenges", lines, "No challenge is open for ideas right now.", noun="challenge")
    return await _mine(core, session, ref), challenges


async def _mine(core: Core, session: AsyncSession, ref: str) -> Message:
    mine = await idea_store.ideas_by_author(session, author_ref=ref)
    views = await ideas.idea_views(core, session, mine)
    lines, buttons = [], []
    for view in views:
        line = idea_line(view.idea, view.votes)
        note = view.last_decision.note if view.last_decision is not None else ""
        if note:
            line += f" - {note_excerpt(note, view.idea.number, MINE_NOTE_EXCERPT)}"
        lines.append(line)
        buttons.append(note_action(note, view.idea.number, MINE_NOTE_EXCERPT))
    return idea_list("Your ideas", lines, "You haven't shared an idea yet: write your idea after the command.",
                     line_actions=buttons)


async def _top_by_preference(session: AsyncSession, challenge: ChallengeConfig | None, command_word: str
                             ) -> Message:
    ranked = await top_by_preference(session, challenge_key=challenge.key if challenge else None, limit=10)
    title = f"Top ideas by preference: {challenge.title}" if challenge else "Top ideas by preference"
    lines = [f"{idea_line(r.idea, r.idea.vote_count)} - {preference_label(r.preference)}" for r in ranked]
    message = idea_list(title, lines, f"No comparisons yet: try '{command_word} compare' to choose between ideas.")
    if not lines:
        return message
    # The score is the chance the idea is chosen over another of its challenge picked at random (All Our Ideas).
    return replace(message, context="Score: the estimated chance, out of 100, that people choose the idea over "
                                    "another of its challenge picked at random, from their A or B? answers.")


async def _vote(core: Core, session: AsyncSession, number: int, ref: str, remove: bool) -> Message:
    idea = await ideas.find_idea(session, number)
    if remove:
        removed = await voting.withdraw_vote(core, session, idea=idea, voter_ref=ref)
        return Message(text=f"Your vote for #{number} is removed." if removed
                       else f"You had no vote on #{number}.")
    added = await voting.cast_vote(core, session, idea=idea, voter_ref=ref)
    return Message(text=f"Thanks, your vote for #{number} is counted." if added
                   else f"Your vote for #{number} was already counted (one vote per person).")


async def _prompt(core: Core, session: AsyncSession, key: str | None) -> Message:
    targets = [ideas.resolve_challenge(core, key, platform="", conversation=None)] if key \
        else core.open_challenges()
    if not targets:
        raise UserError("No challenge is open, so there is nothing to prompt.")
    sent: list[str] = []
    for challenge in targets:
        sent += await announcements.post_prompt(core, session, challenge, rotation=core.today().toordinal())
    where = ", ".join(sent) or "no live channel"
    return Message(text=f"Prompt queued for {len(targets)} challenge(s): {where}.")
