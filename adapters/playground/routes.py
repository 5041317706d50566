"""The playground's HTTP routes: the page, its live stream, and the JSON actions its script posts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.playground import clock, guard, translate
from adapters.playground.history import Entry, Post
from adapters.playground.page import render_page
from adapters.playground.render import render_message
from adapters.playground.translate import BadInput
from bot.events import Address, ReactionChanged
from bot.message import Message, Reply
from bot.tracebacks import traceback_without_messages

if TYPE_CHECKING:
    from adapters.playground.adapter import PlaygroundAdapter

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


FAILED = "Something went wrong in the bot (it is logged for whoever runs it). Please try again later."
NOT_SAVED = "Sorry, I couldn't save that reaction just now. Please try again in a moment."


def _toggle(reactions: dict[str, set[str]], emoji: str, person: str) -> None:
    who = reactions.setdefault(emoji, set())
    who.symmetric_difference_update({person})
    if not who:
        del reactions[emoji]


def _refused(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _answer(reply: Reply, **extra: Any) -> web.Response:
    ephemeral = [render_message(m, f"eph-{i}") for i, m in enumerate(reply.messages)]
    # 503 when the database did not store it, as Slack and Teams are answered (the page shows the message).
    return web.json_response({"ephemeral": ephemeral, "changed": reply.changed, **extra},
                             status=503 if reply.unavailable else 200)


class PlaygroundRoutes:
    def __init__(self, adapter: PlaygroundAdapter) -> None:
        self.adapter = adapter

    def mount(self, app: web.Application) -> None:
        guarded = self._guarded
        app.router.add_get("/", guarded(self.page))
        app.router.add_get("/playground/events", guarded(self.events))
        for name, handler in (("command", self.command), ("reaction", self.reaction), ("reply", self.reply),
                              ("action", self.action), ("form", self.form), ("clock", self.clock)):
            app.router.add_post(f"/playground/api/{name}", guarded(self._json(handler)))

    @staticmethod
    def _guarded(handler: Handler) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            problem = guard.refusal(request)
            if problem:
                return _refused(problem, 403)
            return await handler(request)
        return checked

    def _json(self, handler: Callable[[dict[str, Any]], Awaitable[web.Response]]) -> Handler:
        async def parsed(request: web.Request) -> web.StreamResponse:
            try:
                body = await request.json()
            except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
                return _refused("The request body is not valid JSON.")
            try:
                if not isinstance(body, dict):
                    raise BadInput("Expected a JSON object.")
                return await handler(body)
            except BadInput as error:
                return _refused(str(error))
            except Exception as error:  # a bug of ours, not the caller's: say so (500) and log where
                logger.error("playground: %s failed; answering 500\n%s", request.path,
                             traceback_without_messages(error))
                return _refused(FAILED, 500)
        return parsed

    async def page(self, request: web.Request) -> web.Response:
        adapter = self.adapter
        personas = list(adapter.personas.values())
        persona = adapter.personas.get(request.query.get("as", ""), personas[0])
        challenges = adapter.config.challenges
        channel = adapter.config.challenge(request.query.get("channel", "")) or adapter.default_channel()
        html = render_page(campaign=adapter.config.campaign.name, personas=personas, persona=persona,
                           challenges=challenges, channel=channel, posts=adapter.history.posts(channel.key),
                           direct=adapter.history.direct(persona.name), choices=adapter.choices,
                           upcoming=adapter.rehearsal.upcoming())
        return web.Response(text=html, content_type="text/html")

    async def events(self, request: web.Request) -> web.StreamResponse:
        persona = request.query.get("as", "")
        if persona not in self.adapter.personas:
            return _refused(f"Unknown persona {persona!r}.")
        return await self.adapter.hub.stream(request, persona)

    def _who_where(self, body: dict[str, Any]):
        return (translate.persona_of(body, self.adapter.personas),
                translate.channel_of(body, self.adapter.channels))

    def _post(self, channel: str, body: dict[str, Any]):
        post = self.adapter.history.find(channel, translate.text_field(body, "message"))
        if post is None:
            raise BadInput("That message is no longer in the playground's history (it keeps recent posts only).")
        return post

    async def command(self, body: dict[str, Any]) -> web.Response:
        persona, channel = self._who_where(body)
        return _answer(await self.adapter.dispatch(translate.command_event(persona, channel, body)))

    async def form(self, body: dict[str, Any]) -> web.Response:
        persona, channel = self._who_where(body)
        return _answer(await self.adapter.dispatch(translate.form_event(persona, channel, body)))

    async def action(self, body: dict[str, Any]) -> web.Response:
        persona, channel = self._who_where(body)
        # A button on a reply only you see (e.g. "Is your idea one of these?") belongs to no channel post.
        message = self._post(channel, body).id if translate.text_field(body, "message") else None
        return _answer(await self.adapter.dispatch(translate.action_event(persona, channel, message, body)))

    def _reacted_on(self, post: Post, body: dict[str, Any]) -> tuple[Entry, str]:
        """The post, or the thread reply named by `reply` (an idea hour's answer: a reaction there is agreement),
        and the emoji, which must be one the page offers there."""
        emoji = translate.text_field(body, "emoji")
        reply_id = translate.text_field(body, "reply")
        if not reply_id:
            if emoji not in self.adapter.choices and emoji not in post.reactions:
                raise BadInput(f"Unknown reaction {emoji!r}.")
            return post, emoji
        reply = self.adapter.history.find_reply(post, reply_id)
        if reply is None:
            raise BadInput("That reply is no longer in the playground's history (it keeps recent replies only).")
        if emoji != self.adapter.choices[0] and emoji not in reply.reactions:
            raise BadInput(f"Unknown reaction {emoji!r} on a reply: use {self.adapter.choices[0]!r}.")
        return reply, emoji

    async def reaction(self, body: dict[str, Any]) -> web.Response:
        persona, channel = self._who_where(body)
        post = self._post(channel, body)
        target, emoji = self._reacted_on(post, body)
        added = persona.name not in target.reactions.get(emoji, set())
        _toggle(target.reactions, emoji, persona.name)
        self.adapter.publish_post(post)
        # As on Slack: a reaction names the message it is on (the reply's own id), not its thread.
        event = ReactionChanged(persona.actor, Address("playground", channel, message=target.id), emoji, added)
        reply = await self.adapter.dispatch(event)
        if reply.unavailable:
            # Slack and Teams deliver a reaction the bot could not save again, until it counts; the playground
            # cannot, so it takes the reaction back rather than show a vote that was never counted.
            _toggle(target.reactions, emoji, persona.name)
            self.adapter.publish_post(post)
            reply = Reply(messages=reply.messages or (Message(text=NOT_SAVED),), unavailable=True)
        return _answer(reply, added=added and not reply.unavailable)

    async def reply(self, body: dict[str, Any]) -> web.Response:
        persona, channel = self._who_where(body)
        post = self._post(channel, body)
        reply_id = self.adapter.history.new_id()
        event = translate.reply_event(persona, channel, post.id, reply_id, body)
        answer = await self.adapter.dispatch(event)
        if answer.changed or not answer.messages:  # a refused comment (too long, database down) is not shown
            self.adapter.history.add_reply(post, persona.name, Message(text=event.text), reply_id)
            self.adapter.publish_post(post)
        return _answer(answer)

    async def clock(self, body: dict[str, Any]) -> web.Response:
        persona = translate.persona_of(body, self.adapter.personas)
        what = translate.text_field(body, "what")
        if what not in ("fire-next", "job", "digest"):
            raise BadInput(f"Unknown clock control {what!r}: use fire-next, job or digest.")
        if not clock.may_rehearse(self.adapter.config, persona.actor.ref):
            return _refused(clock.MANAGERS_ONLY, 403)
        rehearsal = self.adapter.rehearsal
        if what == "fire-next":
            result = await rehearsal.fire_next()
        elif what == "job":
            result = await rehearsal.run_job(translate.text_field(body, "job"))
        else:
            result = await rehearsal.run_digest(persona.actor.ref if body.get("preview") is True else None)
        return web.json_response({"result": result, "upcoming": [item.to_json() for item in rehearsal.upcoming()]})
