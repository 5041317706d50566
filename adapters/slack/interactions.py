"""Slash command, Vote button and idea modal: persist, then acknowledge inside Slack's 3 s, the rest after."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.logs import failure
from adapters.slack.render import FORM_CALLBACK, IDEA_BLOCK, message_payload, modal_view, note_view
from adapters.slack.replies import finish_within, tell
from adapters.slack.translate import command_event, form_channel, form_event, shortcut_event, vote_action_event
from bot import grammar
from bot.adapter import Dispatch
from bot.compose import FULL_NOTE_ACTION, POST_IDEA_ACTION, VOTE_ACTION
from bot.events import ActionInvoked
from bot.hour.anonymise import ANONYMISE_ACTION
from bot.hour.compose import REMIND_ACTION
from bot.hour.promote import PROMOTE_ACTION
from bot.message import Message, Reply
from bot.tracebacks import traceback_without_messages

logger = logging.getLogger(__name__)

COMMAND = "/idea"
FIKA_BUTTONS = re.compile(r"^fika_")
# "Is your idea one of these?": Back #N (similar_back_<position>) or Post mine anyway (similar_post); and a
# manager's Apply on a suggested theme (theme_apply_<position>) or Merge on a suggested pair (duplicate_merge_<n>).
SIMILAR_CHOICE = re.compile(r"^(similar_(back_\d+|post)|theme_apply_\d+|duplicate_merge_\d+)$")
# "A or B?": A, B, Can't decide and Stop on the private pair message.
COMPARE_CHOICE = re.compile(r"^compare_(a|b|tie|stop)$")
SAVING = "Saving your idea... I'll confirm here in a moment."
WORKING = "Working on it... the answer follows here in a moment."
FORM_TOO_SLOW = "Sorry, the form took too long to open. Run `/idea` again, or type `/idea <your idea>`."
UNREADABLE = "Sorry, I couldn't read that request, so nothing was changed."
FAILED = "Sorry, something went wrong on my side and nothing was changed. Please try again in a minute."


def _ephemeral(messages: tuple[Message, ...]) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message_payload(messages)}


class Interactions:
    def __init__(self, dispatch: Dispatch, background: Background, ack_within: float) -> None:
        self.dispatch = dispatch
        self.background = background
        self.ack_within = ack_within

    def register(self, bolt: AsyncApp) -> None:
        bolt.command(COMMAND)(self.on_command)
        bolt.action(POST_IDEA_ACTION)(self.on_post_as_idea)
        bolt.action(VOTE_ACTION)(self.on_vote)
        bolt.action(FULL_NOTE_ACTION)(self.on_full_note)
        # The same path as Vote: persist, ack, then answer the presser privately.
        bolt.action(REMIND_ACTION)(self.on_vote)
        bolt.action(ANONYMISE_ACTION)(self.on_vote)
        bolt.action(FIKA_BUTTONS)(self.on_button)
        bolt.action(SIMILAR_CHOICE)(self.on_similar_choice)
        bolt.action(COMPARE_CHOICE)(self.on_compare_choice)
        bolt.view_submission(FORM_CALLBACK)(self.on_form)
        bolt.shortcut(PROMOTE_ACTION)(self.on_make_idea)

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                         client: AsyncWebClient) -> None:
        event = command_event(body)
        if event is None:
            logger.warning("slack: a slash command without a user id, ignored")
            await ack(response_type="ephemeral", text=UNREADABLE)
            return
        task = await finish_within(self.dispatch(event), self.ack_within)
        if not task.done():
            slow = SAVING if isinstance(grammar.parse(event.text), grammar.Submit) else WORKING
            await ack(response_type="ephemeral", text=slow)
            self.background.spawn(self._respond_late(task, respond), "late /idea reply")
            return
        try:
            reply = task.result()
        except Exception as error:
            logger.error("slack: /idea failed\n%s", traceback_without_messages(error))
            await ack(response_type="ephemeral", text=FAILED)
            return
        if reply.duplicate:  # the same invocation again (a replay): it was answered the first time
            await ack()
            return
        form = next((m.form for m in reply.messages if m.form), None)
        if form is None:
            await ack(**_ephemeral(reply.messages))
            return
        try:
            view = modal_view(form, channel=event.address.conversation)
            await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
        except (SlackApiError, SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            logger.warning("slack: views.open failed (%s)", failure(error))
            await ack(response_type="ephemeral", text=FORM_TOO_SLOW)
            return
        await ack()

    async def _respond_late(self, task: asyncio.Future[Reply], respond: AsyncRespond) -> None:
        try:
            reply = await task
        except Exception as error:
            logger.error("slack: a slow /idea failed\n%s", traceback_without_messages(error))
            await respond(response_type="ephemeral", replace_original=False, text=FAILED)
            return
        if reply.duplicate:
            return
        if any(m.form for m in reply.messages):
            await respond(response_type="ephemeral", replace_original=False, text=FORM_TOO_SLOW)
            return
        await respond(replace_original=False, **_ephemeral(reply.messages))

    async def _press(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
                     ) -> tuple[ActionInvoked, Reply] | None:
        """Every button's first half: the press is persisted by the core, then acknowledged (None: no user)."""
        event = vote_action_event(body, action)
        if event is None:
            logger.warning("slack: a button press without a user, ignored")
            await ack()
            return None
        reply = await self.dispatch(event)
        await ack()
        return event, reply

    def _answer_privately(self, respond: AsyncRespond, reply: Reply, what: str, *, replace: bool = False) -> None:
        """The core's answer to the presser alone, after the acknowledgement (replacing the pressed message if
        `replace`)."""
        if reply.messages:
            self.background.spawn(respond(replace_original=replace, **_ephemeral(reply.messages)), what)

    async def on_vote(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                      respond: AsyncRespond) -> None:
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        self._answer_privately(respond, reply, "vote reply")

    async def on_full_note(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                           respond: AsyncRespond, client: AsyncWebClient) -> None:
        """"Read the full note": the whole decision note in a modal only the presser sees (the trigger id
        lasts 3 s, so the modal opens before anything else)."""
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        note = reply.first
        if note is not None and not reply.refused:
            try:
                await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=note_view(note))
                return
            except (SlackApiError, SlackClientError, aiohttp.ClientError, TimeoutError) as error:
                logger.warning("slack: views.open failed for a decision note (%s)", failure(error))
        # Refused (no such note), or the modal could not open: the answer, privately.
        self._answer_privately(respond, reply, "note reply")

    async def on_make_idea(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """"Make this an idea" on an idea hour's answer: persist, acknowledge, then answer the manager privately."""
        event = shortcut_event(body)
        if event is None:
            logger.warning("slack: a message shortcut without a user or message, ignored")
            await ack()
            return
        reply = await self.dispatch(event)
        await ack()
        self._answer_privately(respond, reply, "shortcut reply")

    async def on_button(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond,
                        client: AsyncWebClient) -> None:
        """Fika's buttons: answers are recorded and acknowledged privately; "Share an idea" opens the form."""
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        form = next((m.form for m in reply.messages if m.form), None)
        if form is not None:
            try:
                view = modal_view(form, channel=event.address.conversation)
                await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
                return
            except (SlackApiError, SlackClientError, aiohttp.ClientError, TimeoutError) as error:
                logger.warning("slack: views.open failed for %s: %s", event.actor.ref, error)
                reply = Reply(messages=(Message(text=FORM_TOO_SLOW),))
        self._answer_privately(respond, reply, "button reply")

    async def on_similar_choice(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                                respond: AsyncRespond) -> None:
        """The answer replaces the question, so its buttons cannot be pressed again by mistake."""
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        self._answer_privately(respond, reply, "choice reply", replace=reply.changed)

    async def on_compare_choice(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                                respond: AsyncRespond) -> None:
        """The next pair (or the closing line after Stop) replaces the pair answered; a refusal comes beside it."""
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        self._answer_privately(respond, reply, "compare reply", replace=reply.card is not None)

    async def on_form(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = form_event(body)
        if event is None:
            logger.warning("slack: a form submission without a user, ignored")
            await ack()
            return
        task = await finish_within(self.dispatch(event), self.ack_within)
        if not task.done():
            await ack()  # close the modal; the outcome (thanks, or what was wrong) follows as a message
            self.background.spawn(self._tell_late(task, client, body), "late form reply")
            return
        reply = task.result()
        if reply.messages and not reply.changed:
            # Refused (empty, too long, database down...): keep the modal open with the reason under the idea.
            await ack(response_action="errors", errors={IDEA_BLOCK: reply.messages[0].text[:2000]})
            return
        await ack()
        self.background.spawn(self._tell(client, body, reply), "form confirmation")

    async def _tell_late(self, task: asyncio.Future[Reply], client: AsyncWebClient, body: dict[str, Any]) -> None:
        await self._tell(client, body, await task)

    @staticmethod
    async def _tell(client: AsyncWebClient, body: dict[str, Any], reply: Reply) -> None:
        await tell(client, channel=form_channel(body.get("view")), user=body["user"]["id"], messages=reply.messages)

    async def on_post_as_idea(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                              respond: AsyncRespond) -> None:
        """The Post as idea button on the private question about a command-like text. The confirmation replaces
        the question (response_url updates ephemeral messages too), so the button cannot be pressed again."""
        pressed = await self._press(ack, body, action)
        if pressed is None:
            return
        event, reply = pressed
        self._answer_privately(respond, reply, "post-as-idea reply", replace=reply.changed)
