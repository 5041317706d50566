"""HTML for the playground page and its live fragments (posts with reactions and threads, direct messages)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from adapters.playground.clock import Upcoming
from adapters.playground.history import Entry, Post
from adapters.playground.personas import Persona
from adapters.playground.render import render_message
from bot.config import ChallengeConfig

GLYPHS = {"+1": "👍", "thumbsup": "👍", "like": "👍", "heart": "❤️", "tada": "🎉", "eyes": "👀",
          "clap": "👏", "bulb": "💡"}
EXTRA_REACTION = "eyes"  # not a vote: shows that only the configured emoji count


def reaction_choices(vote_emoji: Sequence[str]) -> list[str]:
    """One button per distinct glyph among the vote emoji, plus one emoji that is not a vote."""
    seen: set[str] = set()
    choices = []
    for name in [*vote_emoji, EXTRA_REACTION]:
        glyph = GLYPHS.get(name, f":{name}:")
        if glyph not in seen:
            seen.add(glyph)
            choices.append(name)
    return choices


def render_entry(entry: Entry) -> str:
    return (f'<li class="entry" id="entry-{escape(entry.id)}"><p class="author">{escape(entry.author)}</p>'
            f"{render_message(entry.message, f'entry-{entry.id}')}</li>")


def render_reply(reply: Entry, agree: str) -> str:
    """A person's thread reply with one reaction, the agreement: on Slack and Teams any reaction on an idea hour's
    answer counts as agreeing with it; the playground offers the first vote emoji for it."""
    who = sorted(reply.reactions.get(agree, set()))
    label = f"Agree with {reply.author}'s reply: {len(who)}" + (f" ({', '.join(who)})" if who else "")
    button = (f'<button type="button" class="reaction agree" data-emoji="{escape(agree)}" '
              f"data-reactors='{escape(json.dumps(who))}' aria-pressed=\"false\" aria-label=\"{escape(label)}\" "
              f'title="{escape(label)}"><span aria-hidden="true">{GLYPHS.get(agree, f":{agree}:")}</span> Agree '
              f'<span class="count">{len(who)}</span></button>')
    return (f'<li class="entry" id="entry-{escape(reply.id)}" data-reply="{escape(reply.id)}">'
            f'<p class="author">{escape(reply.author)}</p>{render_message(reply.message, f"entry-{reply.id}")}'
            f'<div class="reactions">{button}</div></li>')


def _reactions(post: Post, choices: Sequence[str]) -> str:
    buttons = []
    for name in [*choices, *(n for n in post.reactions if n not in choices)]:
        who = sorted(post.reactions.get(name, set()))
        glyph = GLYPHS.get(name, f":{name}:")
        label = f"React with {name}: {len(who)}" + (f" ({', '.join(who)})" if who else "")
        buttons.append(
            f'<button type="button" class="reaction" data-emoji="{escape(name)}" '
            f"data-reactors='{escape(json.dumps(who))}' aria-pressed=\"false\" aria-label=\"{escape(label)}\" "
            f'title="{escape(label)}"><span aria-hidden="true">{glyph} {escape(name)}</span> '
            f'<span class="count">{len(who)}</span></button>')
    return '<div class="reactions" role="group" aria-label="Reactions">' + "".join(buttons) + "</div>"


def render_post(post: Post, choices: Sequence[str]) -> str:
    pid = escape(post.id)
    replies = "".join(render_reply(reply, choices[0]) for reply in post.replies)
    count = len(post.replies)
    return (
        f'<li class="post" id="post-{pid}" data-id="{pid}"><p class="author">{escape(post.author)} '
        f'<span class="badge">bot</span></p>{render_message(post.message, f"post-{post.id}")}'
        f"{_reactions(post, choices)}"
        f'<section class="thread" aria-label="Thread"><h4 class="thread-count">'
        f'{count} repl{"y" if count == 1 else "ies"}</h4><ol class="replies">{replies}</ol>'
        f'<form class="reply-form"><label for="reply-{pid}">Reply in thread</label>'
        f'<input id="reply-{pid}" name="text" autocomplete="off" required>'
        f'<button type="submit">Reply</button></form></section></li>'
    )


def _persona_picker(personas: Sequence[Persona], current: Persona, channel: str) -> str:
    options = "".join(f'<option value="{escape(p.name)}"{" selected" if p == current else ""}>'
                      f"{escape(p.name)} ({escape(p.role)})</option>" for p in personas)
    return (f'<form class="persona" method="get" action="/"><input type="hidden" name="channel" '
            f'value="{escape(channel)}"><label for="persona">Acting as</label>'
            f'<select id="persona" name="as">{options}</select><button type="submit">Switch</button></form>')


def _channel_nav(challenges: Sequence[ChallengeConfig], current: str, persona: Persona) -> str:
    links = []
    for challenge in challenges:
        query = urlencode({"as": persona.name, "channel": challenge.key})
        here = ' aria-current="page"' if challenge.key == current else ""
        links.append(f'<li><a href="/?{escape(query)}"{here}>#{escape(challenge.key)}</a></li>')
    return f'<nav aria-label="Channels"><h2>Channels</h2><ul>{"".join(links)}</ul></nav>'


def render_upcoming(item: Upcoming) -> str:
    when, label = ("again", "Rehearse again") if item.again else ("now", "Rehearse")
    return (f'<li>{escape(item.line)} <button type="button" data-clock="job" data-job="{escape(item.job_id)}" '
            f'aria-label="Rehearse {escape(item.description)} {when}">{label}</button></li>')


def render_page(*, campaign: str, personas: Sequence[Persona], persona: Persona,
                challenges: Sequence[ChallengeConfig], channel: ChallengeConfig, posts: Sequence[Post],
                direct: Sequence[Entry], choices: Sequence[str], upcoming: Sequence[Upcoming] = ()) -> str:
    key = escape(channel.key)
    jobs = "".join(render_upcoming(item) for item in upcoming)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>#{key} · Crowdbot playground</title><link rel="stylesheet" href="/playground/static/playground.css"></head>
<body data-persona="{escape(persona.name)}" data-channel="{key}">
<header><h1>Crowdbot playground <span class="campaign">{escape(campaign)}</span></h1>
{_persona_picker(personas, persona, channel.key)}<a href="/dashboard">Dashboard</a></header>
<div class="layout">
<aside class="side">{_channel_nav(challenges, channel.key, persona)}
<section class="clock" aria-labelledby="clock-h"><h2 id="clock-h">Rehearsal clock</h2>
<p class="note">For community managers and admins. Rehearsals post here only, never to Slack or Teams, and the
real schedule still runs on time.</p>
<button type="button" data-clock="fire-next">Fire next scheduled job</button>
<button type="button" data-clock="digest">Run digest now</button>
<label class="inline"><input type="checkbox" id="digest-preview"> Digest as a preview to me only</label>
<p id="clock-result" role="status"></p><h3 id="upcoming-h">Coming up</h3>
<ul id="upcoming" aria-labelledby="upcoming-h">{jobs or "<li>No scheduled jobs</li>"}</ul>
</section></aside>
<main><h2 id="channel-h">#{key}: {escape(channel.title)}</h2><p class="description">{escape(channel.description)}</p>
<ol id="posts" class="posts" aria-labelledby="channel-h" aria-live="polite">
{"".join(render_post(post, choices) for post in posts)}</ol>
<section id="ephemeral" aria-label="Only visible to you" aria-live="polite"></section>
<form id="composer"><label for="composer-text">Message #{key} (commands start with /idea)</label>
<input id="composer-text" name="text" autocomplete="off" placeholder="/idea help"><button type="submit">Send</button>
</form></main>
<aside class="direct" aria-labelledby="direct-h"><h2 id="direct-h">Direct messages to {escape(persona.name)}</h2>
<ol id="direct-list" aria-live="polite">{"".join(render_entry(entry) for entry in direct)}</ol></aside>
</div><script src="/playground/static/playground.js"></script></body></html>"""
