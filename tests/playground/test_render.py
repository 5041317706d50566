"""Pure rendering from core messages to HTML, the in-memory Messenger, personas and the start-up rule."""

from __future__ import annotations

import base64

import pytest
import yaml
from typer.testing import CliRunner

from adapters.playground.history import History
from adapters.playground.messenger import PlaygroundMessenger
from adapters.playground.page import reaction_choices, render_post
from adapters.playground.personas import personas
from adapters.playground.render import render_message
from bot.app import create_app
from bot.cli import cli
from bot.hosting import StartupError
from bot.message import ChallengeChoice, Destination, IdeaForm, Message, MessageAction, MessageField, Section
from bot.messenger import DeliveryError
from tests.factories import harness_clock
from tests.playground.helpers import playground_config


def test_every_part_of_a_message_is_rendered_and_escaped() -> None:
    message = Message(
        text="fallback", title="Idea #3 <b>", body="Line one & <i>two</i>\nline three",
        fields=(MessageField("Votes", "2"), MessageField("By", "O'Brien <script>")),
        sections=(Section("Top <ideas>", ("#1 a < b",)),), actions=(MessageAction("Vote", "vote", "3"),),
        context="React with :+1:", image_png=b"\x89PNG-bytes", image_alt="Chart of <things>")
    html = render_message(message)
    assert '<h3 class="msg-title">Idea #3 &lt;b&gt;</h3>' in html
    assert "Line one &amp; &lt;i&gt;two&lt;/i&gt;<br>line three" in html
    assert "<dt>By</dt><dd>O&#x27;Brien &lt;script&gt;</dd>" in html
    assert "<h4>Top &lt;ideas&gt;</h4><ul><li>#1 a &lt; b</li></ul>" in html
    assert 'data-action="vote" data-value="3">Vote</button>' in html
    encoded = base64.b64encode(b"\x89PNG-bytes").decode()
    assert f'src="data:image/png;base64,{encoded}"' in html
    assert 'alt="Chart of &lt;things&gt;"' in html
    assert "React with :+1:" in html and "fallback" not in html


def test_a_plain_message_shows_its_text() -> None:
    assert render_message(Message(text="Hello <you>\nbye")) == \
        '<div class="msg"><p class="msg-body">Hello &lt;you&gt;<br>bye</p></div>'


def test_form_controls_are_labelled() -> None:
    form = IdeaForm((ChallengeChoice("rotas", "Fairer <rotas>"), ChallengeChoice("breaks", "Breaks")), "breaks", 300)
    html = render_message(Message(text="Share an idea", form=form), "x")
    assert '<label for="x-form-challenge">Challenge</label><select id="x-form-challenge"' in html
    assert '<label for="x-form-text">Your idea</label><textarea id="x-form-text"' in html
    assert 'maxlength="300"' in html and '<option value="breaks" selected>Breaks</option>' in html
    assert "Fairer &lt;rotas&gt;" in html


async def test_messenger_posts_threads_updates_and_direct_messages() -> None:
    history = History(max_posts=2)
    published: list[str] = []
    messenger = PlaygroundMessenger(history, lambda post: published.append(post.id),
                                    lambda person, entry: published.append(f"{person}:{entry.id}"))
    first = await messenger.send(Destination("playground", "rotas"), Message(text="one"))
    reply = await messenger.send(Destination("playground", "rotas", thread=first), Message(text="in thread"))
    await messenger.update(Destination("playground", "rotas"), first, Message(text="one, edited"))
    direct = await messenger.send_direct(Destination("playground", user_id="Sam Patel"), Message(text="hi"))
    post = history.find("rotas", first)
    assert post and post.message.text == "one, edited" and post.replies[0].id == reply
    assert published == [first, first, first, f"Sam Patel:{direct}"]
    assert [entry.message.text for entry in history.direct("Sam Patel")] == ["hi"]
    for text in ("two", "three"):  # bounded: the oldest post goes
        await messenger.send(Destination("playground", "rotas"), Message(text=text))
    assert history.find("rotas", first) is None
    with pytest.raises(DeliveryError) as gone:
        await messenger.update(Destination("playground", "rotas"), first, Message(text="late"))
    assert gone.value.permanent and "message_not_found" in str(gone.value)
    with pytest.raises(DeliveryError):
        await messenger.send(Destination("playground", "rotas", thread="nope"), Message(text="x"))


def test_ids_differ_between_runs() -> None:
    assert History().new_id() != History().new_id()


def test_reaction_chips_show_counts_and_who() -> None:
    history = History()
    post = history.add_post("rotas", Message(text="Idea"))
    post.reactions["+1"] = {"Sam Patel", "Alex Morgan"}
    html = render_post(post, reaction_choices(["+1", "thumbsup", "heart"]))
    assert 'aria-label="React with +1: 2 (Alex Morgan, Sam Patel)"' in html
    assert 'data-emoji="heart"' in html and 'data-emoji="eyes"' in html and 'data-emoji="thumbsup"' not in html
    assert '<label for="reply-' in html


def test_personas_come_from_roles_and_staff(tmp_path) -> None:
    config = playground_config(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    found = {p.name: p.role for p in personas(config)}
    assert found == {"Sam Patel": "staff", "Alex Morgan": "staff", "Jo Williams": "staff",
                     "Casey Brown": "community manager", "Dr Lee Harper": "leader", "Robin Shaw": "admin"}


def test_playground_refuses_a_public_host(tmp_path) -> None:
    config = playground_config(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    with pytest.raises(StartupError, match="Refusing to listen on 0.0.0.0: the playground lets anyone act"):
        create_app(config, host="0.0.0.0", clock=harness_clock())
    # With the playground off, a public host is fine (the dashboard then needs its token).
    create_app(playground_config(f"sqlite+aiosqlite:///{tmp_path}/x.db", playground={"enabled": False}),
               host="0.0.0.0", clock=harness_clock())


def test_crowdbot_run_on_a_public_host_exits_with_the_reason(tmp_path) -> None:
    config = playground_config(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(config.model_dump(mode="json")))
    result = CliRunner().invoke(cli, ["run", "--config", str(path), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "Refusing to listen on 0.0.0.0: the playground lets anyone act as anyone" in result.output


def test_the_bots_inline_code_shows_as_code_and_stays_escaped() -> None:
    from bot.message import Message

    html = render_message(Message(text="Tip: start with `/idea new <b>x</b>` to post an idea"))
    assert "<code>/idea new &lt;b&gt;x&lt;/b&gt;</code>" in html
    assert "`" not in html
