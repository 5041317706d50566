"""The botbuilder activity handler: translates each activity, dispatches the core events, answers the caller."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity
from botbuilder.schema.teams import MessagingExtensionActionResponse, TaskModuleMessageResponse

from adapters.teams.render import activity as render_activity
from adapters.teams.translate import message_action_event, translate
from bot.adapter import Dispatch
from bot.events import ConversationSeen, IdeaFormSubmitted, ReactionChanged
from bot.hour.promote import PROMOTE_ACTION
from bot.message import Message

logger = logging.getLogger(__name__)
RAW_ACTIVITY = "crowdbot.raw_activity"  # turn_state key: the activity JSON exactly as received


class CrowdbotTeamsHandler(TeamsActivityHandler):
    """Overrides only the five hooks the bot needs; everything else is botbuilder's default."""

    def __init__(self, dispatch: Dispatch, vote_emoji: Sequence[str]) -> None:
        self._dispatch = dispatch
        self._vote_emoji = tuple(vote_emoji)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_message_reaction_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_teams_messaging_extension_fetch_task(self, turn_context: TurnContext, action: Any
                                                      ) -> MessagingExtensionActionResponse:
        """"Make this an idea" from an answer's message menu: the outcome shows in a small dialog."""
        incoming = turn_context.turn_state.get(RAW_ACTIVITY) or turn_context.activity.serialize()
        event = message_action_event(incoming, PROMOTE_ACTION)
        if event is None:
            text = "Crowdbot has no such message action."
        else:
            reply = await self._dispatch(event)
            text = "\n".join(message.text for message in reply.messages) or "Done."
        return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=text))

    async def _handle(self, turn_context: TurnContext) -> None:
        incoming = turn_context.turn_state.get(RAW_ACTIVITY) or turn_context.activity.serialize()
        for event in translate(incoming, self._vote_emoji):
            reply = await self._dispatch(event)
            if isinstance(event, ConversationSeen | ReactionChanged):
                continue  # nobody to answer: a reaction has no reply box (its refusals are not worth a post)
            if isinstance(event, IdeaFormSubmitted) and reply.changed and incoming.get("replyToId"):
                # Replace the form with the confirmation, so the same form cannot be sent twice.
                await self._answer(turn_context, reply.messages, replace=incoming["replyToId"])
            else:
                await self._answer(turn_context, reply.messages)

    async def _answer(self, turn_context: TurnContext, messages: Sequence[Message], replace: str | None = None
                      ) -> None:
        """Answers in the caller's conversation. The change is already committed, so a failed answer is logged,
        not raised: raising would make the channel retry an activity that has already counted."""
        for message in messages:
            activity = Activity().deserialize(render_activity(message))
            try:
                if replace is not None:
                    activity.id = replace
                    await turn_context.update_activity(activity)
                    replace = None
                else:
                    await turn_context.send_activity(activity)
            except Exception:
                logger.warning("teams: could not answer in %s", turn_context.activity.conversation.id,
                               exc_info=True)
