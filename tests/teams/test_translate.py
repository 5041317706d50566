"""Pure translation: activity JSON fixtures -> core events; reaction names; card escaping; start-up rule."""

from __future__ import annotations

import pytest

from adapters.teams import create_adapter
from adapters.teams.reactions import vote_reaction
from adapters.teams.render import card, escape
from adapters.teams.translate import translate
from bot.events import CommandInvoked, ConversationSeen, IdeaFormSubmitted, ReactionChanged, ThreadReply
from bot.hosting import StartupError
from bot.message import Message, Reply
from bot.references import StoredReferences
from tests.teams.helpers import ROTAS, payload, teams_config

EMOJI = ["+1", "thumbsup", "heart", "like"]


def events_of(name: str, **overrides) -> list:  # type: ignore[no-untyped-def]
    return translate(payload(name, "https://smba.example/", **overrides), EMOJI)


@pytest.mark.parametrize(("teams_type", "expected"), [
    ("like", "like"), ("1f44d_thumbsup", "thumbsup"), ("heart", "heart"), ("2764_heart", "heart"),
    ("laugh", "laugh"), ("1f602_joy", "joy"), ("LIKE", "like"),
])
def test_reaction_types_match_the_configured_vote_emoji(teams_type, expected):
    assert vote_reaction(teams_type, EMOJI) == expected


def test_like_falls_back_to_plus_one_when_only_slack_names_are_configured():
    assert vote_reaction("like", ["+1", "thumbsup"]) == "+1"
    assert vote_reaction("1f44d_thumbsup", ["+1"]) == "+1"


def test_channel_mention_is_a_command_without_the_mention_or_the_idea_word():
    seen_channel, seen_user, command = events_of("activity_message_channel_mention")
    assert isinstance(command, CommandInvoked)
    assert command.text == "Rota swaps should be bookable in the app"
    assert command.address.conversation == ROTAS and command.actor.ref == "teams:aad-alice"
    assert command.event_id == f"1700000100002@{ROTAS};messageid=1700000100002"
    assert (seen_channel.key, seen_user.key) == (f"teams:{ROTAS}", "teams:user:aad-alice")
    assert seen_channel.reference["conversation"]["id"] == ROTAS


def test_channel_chatter_without_a_mention_outside_a_thread_is_ignored():
    events = events_of("activity_message_channel_mention", entities=[], text="lunch?",
                       conversation={"id": ROTAS, "conversationType": "channel"})
    assert all(isinstance(event, ConversationSeen) for event in events)


def test_thread_reply_keeps_names_of_other_mentions():
    *_, reply = events_of("activity_message_thread_reply")
    assert isinstance(reply, ThreadReply)
    assert (reply.address.thread, reply.text) == ("ROOT", "Yes, and let Bob swap nights too")


def test_reaction_activity_addresses_the_post_and_uses_the_activity_id():
    *_, added = events_of("activity_message_reaction_emoji_id")
    assert isinstance(added, ReactionChanged) and added.added and added.reaction == "thumbsup"
    assert (added.address.conversation, added.address.message, added.event_id) == (
        ROTAS, "ROOT", f"f:reaction-2@{ROTAS};messageid=ROOT")
    *_, removed = events_of("activity_message_reaction_removed")
    assert not removed.added and removed.reaction == "like"


def test_two_reactions_in_one_activity_get_distinct_event_ids():
    events = events_of("activity_message_reaction_like", reactionsAdded=[{"type": "like"}, {"type": "heart"}])
    reactions = [event for event in events if isinstance(event, ReactionChanged)]
    base = f"f:reaction-1@{ROTAS};messageid=ROOT"
    assert [r.event_id for r in reactions] == [base, f"{base}#1"]


def test_form_submit_and_installation():
    *_, submitted = events_of("activity_card_submit_idea")
    assert isinstance(submitted, IdeaFormSubmitted)
    assert (submitted.challenge_key, submitted.text, submitted.anonymous) == ("rotas", "Shared rota calendar", True)
    (installed,) = events_of("activity_conversation_update_bot_added")
    assert installed.key == f"teams:{ROTAS}"
    (personal,) = events_of("activity_installation_update_personal")
    assert personal.key == "teams:user:aad-leader"
    assert personal.reference["conversation"]["id"] == "a:1on1-leader"


def test_card_escapes_user_text_and_falls_back_to_text():
    assert escape("- **x** <at>y</at> [a](b)") == "\\- \\*\\*x\\*\\* \\<at\\>y\\</at\\> \\[a\\](b)"
    body = card(Message(text="plain *answer*"))["body"]
    assert body == [{"type": "TextBlock", "text": "plain \\*answer\\*", "wrap": True}]


async def _dispatch(event: object) -> Reply:
    return Reply()


NO_REFERENCES = StoredReferences(lambda: None)  # never read: these adapters only start up


def test_teams_without_an_app_id_refuses_a_public_host(database_url):
    with pytest.raises(StartupError, match="no app id"):
        create_adapter(teams_config(database_url).teams, _dispatch, host="0.0.0.0", vote_emoji=["+1"],
                       references=NO_REFERENCES)
    secured = teams_config(database_url, app_id="00000000-0000-0000-0000-000000000001").teams
    assert create_adapter(secured, _dispatch, host="0.0.0.0", vote_emoji=["+1"],
                          references=NO_REFERENCES).app_id.endswith("1")
