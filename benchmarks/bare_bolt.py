"""The framework's own ceiling: a bare slack-bolt AsyncApp on aiohttp that verifies signatures and acks.

Its listener counts the reactions it ran for (GET /handled), so a run can show the baseline did the work: with a
token the fake Slack refuses, bolt answers every event with its "install this app" text and never runs it.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from benchmarks.fake_slack_api import TOKEN


def create_bare_app(signing_secret: str, api_url: str) -> web.Application:
    bolt = AsyncApp(signing_secret=signing_secret, client=AsyncWebClient(token=TOKEN, base_url=api_url),
                    process_before_response=True)
    handled = [0]

    @bolt.event("reaction_added")
    async def on_reaction(ack) -> None:  # type: ignore[no-untyped-def]
        handled[0] += 1
        await ack()

    @bolt.event("message")  # the idea hour's answers are thread replies; unmatched events would get bolt's 404
    async def on_message(ack) -> None:  # type: ignore[no-untyped-def]
        handled[0] += 1
        await ack()

    async def report(request: web.Request) -> web.Response:
        return web.json_response({"handled": handled[0]})

    app = bolt.web_app(path="/slack/events")
    app.router.add_get("/handled", report)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--api-url", required=True)
    args = parser.parse_args()
    web.run_app(create_bare_app(args.secret, args.api_url), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
