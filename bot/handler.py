"""The core's front door: one inbound event in, a reply for the caller out, changes committed in between."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import grammar
from bot.batcher import GroupCommitter
from bot.commands import home_messages, run_command
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
    ThreadReply,
)
from bot.message import Message, Reply
from bot.services import comments, ideas, voting
from bot.services.reaction_batch import apply_reactions
from bot.similarity import choice as similar_choice
from bot.similarity import prompt as similar_prompt
from bot.themes import chat as theme_chat
from storage import conversations, inbound, participants, posts
from storage.database import DatabaseUnavailable

logger = logging.getLogger(__name__)

UNAVAILABLE = ("Sorry, I couldn't save that just now (the database is not answering). "
               "Nothing was lost on your side: please try again in a minute.")


@dataclass(frozen=True)
class Outcome:
    message: Message | None = None
    changed: bool = True
    more: tuple[Message, ...] = ()  # further messages after `message` (e.g. the home page's parts)


class Bot:
    """Handles core events. Adapters call `handle` and render the reply; they never touch storage."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self._vote_emoji = {voting.vote_emoji_name(e) for e in core.config.voting.emoji}
        self._reactions: GroupCommitter[ReactionChanged, Reply] = GroupCommitter(
            self._apply_reactions, self._handle_one)

    def is_vote_emoji(self, reaction: str) -> bool:
        return voting.vote_emoji_name(reaction) in self._vote_emoji

    async def handle(self, event: Event) -> Reply:
        """Commits what the event changes, then answers; raises DatabaseUnavailable if it could not."""
        if isinstance(event, ReactionChanged):
            if not isinstance(event.reaction, str) or not isinstance(event.address.message, str):
                return Reply()  # an adapter passed something that cannot name a message: nothing to count
            if not self.is_vote_emoji(event.reaction):
                return Reply()  # not a vote: no database work at all
            # Reactions come in bursts after every prompt: commit them together (group commit).
            return await self._reactions.submit(event)
        return await self._handle_one(event)

    async def _apply_reactions(self, events: list[ReactionChanged]) -> list[Reply]:
        async with self.core.db.transaction() as session:
            replies = await apply_reactions(self.core, session, events)
        if any(reply.changed for reply in replies):
            self.core.wake_outbox()
        return replies

    async def _handle_one(self, event: Event) -> Reply:
        try:
            async with self.core.db.transaction() as session:
                if getattr(event, "event_id", None):
                    key = f"{event.actor.platform}:{event.event_id}"  # type: ignore[union-attr]
                    if not await inbound.claim_event(session, key=key, now=self.core.now()):
                        return Reply(duplicate=True)
                actor = getattr(event, "actor", None)
                if actor is not None:
                    await participants.touch_participant(session, ref=actor.ref, display_name=actor.display_name,
                                                         now=self.core.now())
                outcome = await self._dispatch(session, event)
        except UserError as error:
            return Reply(messages=(Message(text=error.message),))
        except DatabaseUnavailable:
            logger.exception("database unavailable while handling %s", type(event).__name__)
            raise
        if outcome.changed:
            self.core.wake_outbox()
        first = (outcome.message,) if outcome.message else ()
        return Reply(messages=first + outcome.more, changed=outcome.changed)

    async def _dispatch(self, session: AsyncSession, event: Event) -> Outcome:
        if isinstance(event, CommandInvoked):
            command = grammar.parse(event.text)
            message = await run_command(self.core, session, command, event.actor, event.address)
            return Outcome(message, changed=not isinstance(command, grammar.Help | grammar.OpenForm))
        if isinstance(event, IdeaFormSubmitted):
            address = event.address
            challenge = ideas.resolve_challenge(self.core, event.challenge_key or None,
                                                platform=address.platform, conversation=address.conversation)
            return Outcome(await similar_choice.submit_or_ask(
                self.core, session, author_ref=event.actor.ref, challenge=challenge, text=event.text,
                anonymous=event.anonymous))
        if isinstance(event, ReactionChanged):
            return await self._reaction(session, event)
        if isinstance(event, ThreadReply):
            return await self._reply(session, event)
        if isinstance(event, ActionInvoked):
            return await self._action(session, event)
        if isinstance(event, HomeOpened):
            mine, challenges = await home_messages(self.core, session, event.actor.ref)
            return Outcome(mine, changed=False, more=(challenges,))
        if isinstance(event, ConversationSeen):
            await conversations.save_reference(session, key=event.key, platform=event.platform,
                                               reference=event.reference, now=self.core.now())
            return Outcome(changed=False)
        return Outcome(changed=False)

    async def _reaction(self, session: AsyncSession, event: ReactionChanged) -> Outcome:
        address = event.address
        if address.message is None:
            return Outcome(changed=False)
        idea = await posts.idea_for_message(session, platform=address.platform, message_id=address.message,
                                            conversation=address.conversation)
        if idea is None:
            return Outcome(changed=False)
        emoji = voting.vote_emoji_name(event.reaction)
        if event.added:
            changed = await voting.cast_vote(self.core, session, idea=idea, voter_ref=event.actor.ref, emoji=emoji)
        else:
            changed = await voting.withdraw_vote(self.core, session, idea=idea, voter_ref=event.actor.ref,
                                                 emoji=emoji)
        return Outcome(changed=changed)

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
        merge = theme_chat.merge_command(event.action, event.value)
        if merge is not None:  # a merge suggestion's button: the same permission check and merge as the command
            return Outcome(await run_command(self.core, session, merge, event.actor, event.address))
        if theme_chat.is_apply(event.action):
            return Outcome(await theme_chat.apply_suggestion(self.core, session, event.actor.ref, event.value))
        if similar_prompt.is_choice(event.action):
            return Outcome(await similar_choice.choose(self.core, session, actor_ref=event.actor.ref,
                                                       action=event.action, value=event.value))
        if event.action != "vote" or not event.value.isdigit():
            return Outcome(changed=False)
        command = grammar.CastVote(int(event.value))
        message = await run_command(self.core, session, command, event.actor, event.address)
        return Outcome(message)
