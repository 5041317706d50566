"""The core's front door: one inbound event in, a reply for the caller out, changes committed in between."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import grammar
from bot.audit import record_command
from bot.batcher import GroupCommitter
from bot.commands import home_messages, run_command
from bot.compare import rounds as compare_rounds
from bot.compare.card import STOP, is_compare_action
from bot.compose import (
    ANONYMOUS_TYPED_IN_PUBLIC,
    FULL_NOTE_ACTION,
    POST_IDEA_ACTION,
    REFRESH_ACTION,
    VOTE_ACTION,
    confirmation,
)
from bot.context import Core
from bot.errors import UserError
from bot.events import (
    ActionInvoked,
    CommandInvoked,
    ConversationSeen,
    Event,
    HomeOpened,
    IdeaFormSubmitted,
    ReactionChanged,
    SignInAddressFound,
    ThreadReply,
)
from bot.fika.commands import link_fika_idea, run_fika_action
from bot.fika.compose import JOIN_ACTION
from bot.fika.sign_in import learn_sign_in_address, wants_sign_in_address
from bot.hour.anonymise import ANONYMISE_ACTION, make_anonymous
from bot.hour.answers import apply_hour_reactions, apply_hour_replies, hour_places
from bot.hour.compose import REMIND_ACTION
from bot.hour.promote import PROMOTE_ACTION, promote_message
from bot.hour.remind import request_reminder
from bot.identities import Identities
from bot.message import Message, Reply
from bot.prepared import Prepared, prepare
from bot.services import command_or_idea, comments, ideas, personal, voting
from bot.services.names import record_names
from bot.services.reaction_batch import apply_reactions
from bot.similarity import choice as similar_choice
from bot.similarity import prompt as similar_prompt
from bot.themes import chat as theme_chat
from storage import conversations, inbound, outbox, participants, posts
from storage.database import DatabaseUnavailable

logger = logging.getLogger(__name__)

FIKA_ACTION_PREFIX = "fika_"
UNAVAILABLE = ("Sorry, I couldn't save that just now (the database is not answering). "
               "Nothing was lost on your side: please try again in a minute.")


@dataclass(frozen=True)
class Outcome:
    message: Message | None = None
    changed: bool = True
    more: tuple[Message, ...] = ()  # further messages after `message` (e.g. the home page's parts)
    card: Message | None = None  # the refreshed message a button was pressed on
    wants_sign_in_address: bool = False  # see Reply.wants_sign_in_address


class Bot:
    """Handles core events. Adapters call `handle` and render the reply; they never touch storage."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self._vote_emoji = {voting.vote_emoji_name(e) for e in core.config.voting.emoji}
        self._identities = Identities(core)
        # A failed batch retries each reaction as a batch of one: the same code counts every reaction vote.
        # On PostgreSQL two batches may be in flight (row locks order them as they do replicas' batches).
        self._reactions: GroupCommitter[ReactionChanged, Reply] = GroupCommitter(
            self._apply_reactions, self._apply_one_reaction,
            max_in_flight=2 if core.db.is_postgres else 1, key=_voter_on_message)
        # Reactions in an idea hour's channels may be agreements with answers, whatever the emoji.
        self._hour_places = hour_places(core)
        self._hour_reactions: GroupCommitter[ReactionChanged, Reply] = GroupCommitter(
            self._apply_hour_reactions, self._apply_one_hour_reaction, key=_voter_on_message)
        self._hour_replies: GroupCommitter[ThreadReply, Reply] = GroupCommitter(
            self._apply_hour_replies, self._apply_one_hour_reply)

    def is_vote_emoji(self, reaction: str) -> bool:
        return voting.vote_emoji_name(reaction) in self._vote_emoji

    async def handle(self, event: Event) -> Reply:
        """Commits what the event changes, then answers; raises DatabaseUnavailable if it could not."""
        if isinstance(event, ReactionChanged):
            if not isinstance(event.reaction, str) or not isinstance(event.address.message, str):
                return Reply()  # an adapter passed something that cannot name a message: nothing to count
            if (event.address.platform, event.address.conversation) in self._hour_places:
                return await self._hour_reactions.submit(event)
            if not self.is_vote_emoji(event.reaction):
                return Reply()  # not a vote: no database work at all
            # Reactions come in bursts after every prompt: commit them together (group commit).
            return await self._reactions.submit(await self._identities.resolve(event))
        event = await self._identities.resolve(event)
        if isinstance(event, ThreadReply) and (event.address.platform, event.address.conversation) in self._hour_places:
            return await self._hour_replies.submit(event)  # an idea hour's answers come in bursts too
        return await self._handle_one(event)

    async def _apply_reactions(self, events: list[ReactionChanged]) -> list[Reply]:
        self.core.metrics.batch_size.observe(len(events))
        async with self.core.db.quick_transaction() as session:
            replies = await apply_reactions(self.core, session, events)
        # No outbox wake: a vote queues only post updates, due a coalescing delay from now, which the
        # dispatcher's own poll picks up (waking it here cost a pointless outbox query after every batch).
        return replies

    async def _apply_one_reaction(self, event: ReactionChanged) -> Reply:
        (reply,) = await self._apply_reactions([event])
        return reply

    async def _apply_hour_reactions(self, events: list[ReactionChanged]) -> list[Reply]:
        async def votes(session: AsyncSession, others: list[ReactionChanged]) -> list[Reply]:
            chosen = [i for i, e in enumerate(others) if self.is_vote_emoji(e.reaction)]
            replies = [Reply() for _ in others]
            counted = await apply_reactions(self.core, session, [others[i] for i in chosen]) if chosen else []
            for index, reply in zip(chosen, counted, strict=True):
                replies[index] = reply
            return replies

        async with self.core.db.quick_transaction() as session:
            replies = await apply_hour_reactions(self.core, session, events, votes)
        # No outbox wake: agreements queue nothing, and votes only post updates due a coalescing delay from now
        # (a wake per batch cost a claim query, and the write lock, dozens of times a second in an idea hour).
        return replies

    async def _apply_one_hour_reaction(self, event: ReactionChanged) -> Reply:
        (reply,) = await self._apply_hour_reactions([event])
        return reply

    async def _apply_hour_replies(self, events: list[ThreadReply]) -> list[Reply]:
        async with self.core.db.quick_transaction() as session:
            answered = await apply_hour_replies(self.core, session, events)
        # Replies that are not answers (e.g. comments on an idea post in the same channel) take the usual path.
        return [reply if reply is not None else await self._handle_one(event)
                for event, reply in zip(events, answered, strict=True)]

    async def _apply_one_hour_reply(self, event: ThreadReply) -> Reply:
        (reply,) = await self._apply_hour_replies([event])
        return reply

    async def _handle_one(self, event: Event) -> Reply:
        prepared = await prepare(self.core, event)
        try:
            async with self.core.db.transaction() as session:
                if getattr(event, "event_id", None):
                    key = f"{event.actor.platform}:{event.event_id}"  # type: ignore[union-attr]
                    if not await inbound.claim_event(session, key=key, now=self.core.now()):
                        return Reply(duplicate=True)
                actor = getattr(event, "actor", None)
                renamed = False
                if actor is not None:
                    await participants.touch_participant(session, ref=actor.ref, display_name=actor.display_name,
                                                         now=self.core.now())
                    # Teams and the playground name the person in every event; Slack looks names up after the ack.
                    if actor.display_name:
                        renamed = await record_names(self.core, session, {actor.ref: actor.display_name})
                outcome = await self._dispatch(session, event, prepared)
        except UserError as error:
            return Reply(messages=(Message(text=error.message),), refused=True)
        except DatabaseUnavailable:
            logger.exception("database unavailable while handling %s", type(event).__name__)
            raise
        if outcome.changed or renamed:
            self.core.wake_outbox()
        first = (outcome.message,) if outcome.message else ()
        return Reply(messages=first + outcome.more, changed=outcome.changed, card=outcome.card,
                     wants_sign_in_address=outcome.wants_sign_in_address)

    async def _dispatch(self, session: AsyncSession, event: Event, prepared: Prepared | None = None) -> Outcome:
        if isinstance(event, CommandInvoked):
            command = grammar.parse(event.text)
            if isinstance(command, grammar.Submit) and command.anonymous and event.text_is_public:
                raise UserError(ANONYMOUS_TYPED_IN_PUBLIC)
            message = await run_command(self.core, session, command, event.actor, event.address,
                                        prepared=prepared)
            await record_command(self.core, session, command, event.actor.ref)
            wants = isinstance(command, grammar.Fika) and command.action == "on" \
                and await wants_sign_in_address(self.core, session, event.actor.ref)
            return Outcome(message, changed=not isinstance(command, grammar.Help | grammar.OpenForm),
                           wants_sign_in_address=wants)
        if isinstance(event, IdeaFormSubmitted):
            address = event.address
            challenge = ideas.resolve_challenge(self.core, event.challenge_key or None,
                                                platform=address.platform, conversation=address.conversation)
            if event.source is None:
                return Outcome(await similar_choice.submit_or_ask(
                    self.core, session, author_ref=event.actor.ref, challenge=challenge, text=event.text,
                    anonymous=event.anonymous))
            # From a fika group's conversation: posted at once, so the trial can count it as from fika.
            idea = await ideas.submit_idea(self.core, session, author_ref=event.actor.ref, challenge=challenge,
                                           text=event.text, anonymous=event.anonymous)
            await link_fika_idea(session, source=event.source, idea_id=idea.id,  # type: ignore[arg-type]
                                 author_ref=event.actor.ref)
            return Outcome(confirmation(idea, challenge.title, event.anonymous))
        if isinstance(event, ThreadReply):
            return await self._reply(session, event)
        if isinstance(event, ActionInvoked):
            return await self._action(session, event)
        if isinstance(event, HomeOpened):
            mine, challenges = await home_messages(self.core, session, event.actor.ref)
            return Outcome(mine, changed=False, more=(challenges,))
        if isinstance(event, SignInAddressFound):
            return Outcome(changed=await learn_sign_in_address(self.core, session, event))
        if isinstance(event, ConversationSeen):
            await conversations.save_reference(session, key=event.key, platform=event.platform,
                                               reference=event.reference, now=self.core.now())
            woken = await _wake_waiting(session, event, self.core.now())
            return Outcome(changed=woken > 0)
        return Outcome(changed=False)

    async def _reply(self, session: AsyncSession, event: ThreadReply) -> Outcome:
        address = event.address
        if address.thread is None:
            return Outcome(changed=False)
        idea = await posts.idea_for_message(session, platform=address.platform, message_id=address.thread,
                                            conversation=address.conversation)
        if idea is None:
            return Outcome(changed=False)
        source = f"{address.platform}:{address.conversation}:{event.message_id}"
        added = await comments.add_comment(self.core, session, idea=idea, author_ref=event.actor.ref,
                                           text=event.text, source_ref=source)
        return Outcome(changed=added)

    async def _action(self, session: AsyncSession, event: ActionInvoked) -> Outcome:
        if event.action == POST_IDEA_ACTION and event.value:
            message = await command_or_idea.post_pending(self.core, session, actor=event.actor, token=event.value)
            # The similar-ideas question has buttons: Teams shows it in place of the card pressed.
            return Outcome(message, card=message if message.actions else None)
        if event.action == ANONYMISE_ACTION and event.value.isascii() and event.value.isdigit() \
                and len(event.value) <= 9:
            return Outcome(await make_anonymous(self.core, session, event.actor.ref, int(event.value)))
        if event.action == REMIND_ACTION:
            return Outcome(await request_reminder(self.core, session, event.actor.ref, event.value))
        if event.action == PROMOTE_ACTION:
            return Outcome(await promote_message(self.core, session, event.address, event.actor.ref))
        if event.action.startswith(FIKA_ACTION_PREFIX):
            message = await run_fika_action(self.core, session, event)
            wants = event.action == JOIN_ACTION and await wants_sign_in_address(self.core, session, event.actor.ref)
            return Outcome(message, changed=message.form is None, wants_sign_in_address=wants)
        merge = theme_chat.merge_command(event.action, event.value)
        if merge is not None:  # a merge suggestion's button: the same permission check, merge and audit as typed
            message = await run_command(self.core, session, merge, event.actor, event.address)
            await record_command(self.core, session, merge, event.actor.ref)
            return Outcome(message)
        if theme_chat.is_apply(event.action):
            return Outcome(await theme_chat.apply_suggestion(self.core, session, event.actor.ref, event.value))
        if is_compare_action(event.action):
            # The next pair replaces the one answered (Teams refreshes the card, Slack replaces the message).
            message, stored = await compare_rounds.answer(
                self.core, session, person_ref=event.actor.ref, action=event.action, value=event.value,
                command_word=self.core.command_word(event.actor.platform))
            return Outcome(message, changed=stored, card=message if stored or event.action == STOP else None)
        if similar_prompt.is_choice(event.action):
            message = await similar_choice.choose(self.core, session, actor_ref=event.actor.ref,
                                                  action=event.action, value=event.value)
            # The answer replaces the question and its buttons (Teams' refreshed card; Slack replaces it too).
            return Outcome(message, card=message)
        number = personal.idea_number(event.value)
        if number is None:
            return Outcome(changed=False)
        if event.action == FULL_NOTE_ACTION:
            return Outcome(await personal.full_note(self.core, session, number), changed=False)
        if event.action == REFRESH_ACTION:
            return Outcome(changed=False, card=await personal.personal_card(self.core, session, number,
                                                                             event.actor.ref))
        if event.action != VOTE_ACTION:
            return Outcome(changed=False)
        message = await run_command(self.core, session, grammar.CastVote(number), event.actor, event.address)
        return Outcome(message, card=await personal.personal_card(self.core, session, number, event.actor.ref))


async def _wake_waiting(session: AsyncSession, event: ConversationSeen, now: datetime) -> int:
    """Messages kept for a conversation the bot could not reach go out now that it can (the key is
    `<platform>:<conversation>` or `<platform>:user:<id>`, as the outbox looks references up)."""
    target = event.key.removeprefix(f"{event.platform}:")
    if target.startswith("user:"):
        return await outbox.wake_waiting(session, platform=event.platform, now=now,
                                         user_ref=target.removeprefix("user:"))
    return await outbox.wake_waiting(session, platform=event.platform, now=now, conversation=target)


def _voter_on_message(event: ReactionChanged) -> tuple[str, str | None, str | None, str]:
    """What orders reactions: one person's on one message (an add then a removal must not swap)."""
    return event.address.platform, event.address.conversation, event.address.message, event.actor.ref
