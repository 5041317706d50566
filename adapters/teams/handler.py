"""The botbuilder activity handler: translates each activity, dispatches the core events, answers the caller.

Answers go where only the caller reads them: in place in a 1:1 chat, otherwise privately (adapters/teams/private.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity
from botbuilder.schema.teams import MessagingExtensionActionResponse, TaskModuleMessageResponse

from adapters.teams import references as refs
from adapters.teams.channels import team_channels
from adapters.teams.invokes import CARD_ACTION, card_action_body, not_implemented_body
from adapters.teams.members import learn_sign_in_address
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.private import tell_privately
from adapters.teams.render import activity as render_activity
from adapters.teams.translate import is_team_installation, message_action_event, team_channels_seen, team_of, translate
from bot.adapter import Dispatch
from bot.events import Actor, ConversationSeen, IdeaFormSubmitted
from bot.hour.promote import PROMOTE_ACTION
from bot.message import Message

logger = logging.getLogger(__name__)
RAW_ACTIVITY = "crowdbot.raw_activity"  # turn_state key: the activity JSON exactly as received


class RedeliverLater(Exception):  # noqa: N818 - an instruction to the Bot Framework, not an error of ours
    """The core could not store what this activity says: answer 503 so the Bot Framework sends it again."""


class CoreFailed(Exception):  # noqa: N818 - wraps the core's exception as its cause
    """The core raised while handling an activity (a bug of ours, not the caller's): answered 500 and logged."""


def failing_loudly(dispatch: Dispatch) -> Dispatch:
    """The dispatch, with whatever the core raises marked as ours, so it is not taken for a malformed activity."""
    async def dispatched(event: Any) -> Any:
        try:
            return await dispatch(event)
        except Exception as error:
            raise CoreFailed(type(error).__name__) from error
    return dispatched


class CrowdbotTeamsHandler(TeamsActivityHandler):
    """Overrides only the five hooks the bot needs; everything else is botbuilder's default."""

    def __init__(self, dispatch: Dispatch, vote_emoji: Sequence[str], messenger: TeamsMessenger) -> None:
        self._dispatch = dispatch
        self._vote_emoji = tuple(vote_emoji)
        self._messenger = messenger

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_message_reaction_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self._handle(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Every invoke gets a 200: Universal Actions are ours; what botbuilder leaves unimplemented is
        answered "not available" in the shape its caller expects, never an error the person would see."""
        name = turn_context.activity.name
        if name == CARD_ACTION:
            incoming = turn_context.turn_state.get(RAW_ACTIVITY) or turn_context.activity.serialize()
            async def learn(actor: Actor) -> None:
                await learn_sign_in_address(turn_context, incoming, actor, self._dispatch)

            body = await card_action_body(incoming, self._dispatch, learn)
            return InvokeResponse(status=int(HTTPStatus.OK), body=body)
        response = await super().on_invoke_activity(turn_context)
        if response is None or response.status == int(HTTPStatus.NOT_IMPLEMENTED):
            logger.debug("teams: answered a %s invoke the bot does not implement", name or "nameless")
            return InvokeResponse(status=int(HTTPStatus.OK), body=not_implemented_body(name))
        return response

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
        events = translate(incoming, self._vote_emoji)
        if is_team_installation(incoming):
            events += team_channels_seen(incoming, await team_channels(turn_context, team_of(incoming) or ""))
        for event in events:
            reply = await self._dispatch(event)
            if reply.unavailable:
                # Nothing is answered: the redelivered activity gets the answer (what came before it in this
                # activity is stored and de-duplicated by its id, so the retry counts it once).
                raise RedeliverLater(f"the database did not store a {type(event).__name__}")
            if isinstance(event, ConversationSeen) or not reply.messages:
                continue
            if refs.is_shared(incoming):
                await tell_privately(self._messenger, turn_context, incoming, reply.messages)
            elif isinstance(event, IdeaFormSubmitted) and reply.changed and incoming.get("replyToId"):
                # Replace the form with the confirmation, so the same form cannot be sent twice.
                await self._answer(turn_context, reply.messages, replace=incoming["replyToId"])
            else:
                await self._answer(turn_context, reply.messages)
            if reply.wants_sign_in_address and not reply.refused:  # after the answer, which need not wait for it
                await learn_sign_in_address(turn_context, incoming, event.actor, self._dispatch)

    async def _answer(self, turn_context: TurnContext, messages: Sequence[Message], replace: str | None = None
                      ) -> None:
        """Answers in the caller's 1:1 chat. The change is already committed, so a failed answer is logged,
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
