"""Slack payload fixtures to core events (pure functions)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from adapters.slack.translate import (
    command_event,
    form_event,
    home_event,
    reaction_event,
    thread_reply_event,
    vote_action_event,
)
from bot.events import ActionInvoked, Actor, Address, CommandInvoked, HomeOpened, IdeaFormSubmitted, ReactionChanged
from tests.slack.conftest import command_body, event_envelope, payload


def envelope(name: str, event_id: str = "Ev123") -> dict:
    return event_envelope(payload(name), event_id)


def test_a_slash_command_becomes_command_invoked_keyed_by_its_trigger_id() -> None:
    body = dict(parse_qsl(command_body("top rotas", user="U7", channel="C9", trigger="1.2.abc")))

    assert command_event(body) == CommandInvoked(Actor("slack", "U7"), Address("slack", "C9"), "top rotas",
                                                 "command:1.2.abc")


def test_reactions_carry_the_item_as_the_message_and_the_envelope_event_id() -> None:
    added = reaction_event(envelope("event_reaction_added", "EvA"))
    removed = reaction_event(envelope("event_reaction_removed", "EvB"))

    assert added == ReactionChanged(Actor("slack", "U2"), Address("slack", "CROTA", message="1700000000.000001"),
                                    "+1", True, "EvA")
    assert removed is not None and removed.added is False and removed.reaction == "thumbsup"  # no skin tone


def test_a_reaction_on_a_file_is_not_for_the_core() -> None:
    assert reaction_event(envelope("event_reaction_added_file")) is None


def test_a_thread_reply_is_a_comment_candidate() -> None:
    reply = thread_reply_event(envelope("event_message_thread_reply", "EvR"))

    assert reply is not None
    assert reply.address == Address("slack", "CROTA", thread="1700000000.000001")
    assert (reply.message_id, reply.event_id, reply.text) == ("1700000200.000100", "EvR",
                                                              "We tried this on ward 7 and it worked")


def test_edits_bot_posts_and_top_level_messages_are_not_comments() -> None:
    top_level = payload("event_message_thread_reply")
    top_level["thread_ts"] = top_level["ts"]
    no_thread = payload("event_message_thread_reply")
    del no_thread["thread_ts"]
    own_post = payload("event_message_thread_reply") | {"bot_id": "BBOT"}

    for event in (payload("event_message_changed"), payload("event_message_bot_reply"), top_level, no_thread,
                  own_post):
        assert thread_reply_event(event_envelope(event, "Ev1")) is None


def test_a_broadcast_thread_reply_is_still_a_comment() -> None:
    broadcast = payload("event_message_thread_reply") | {"subtype": "thread_broadcast"}

    assert thread_reply_event(event_envelope(broadcast, "Ev1")) is not None


def test_home_opened_only_for_the_home_tab() -> None:
    messages_tab = payload("event_app_home_opened") | {"tab": "messages"}

    assert home_event(envelope("event_app_home_opened")) == HomeOpened(Actor("slack", "U1"))
    assert home_event(event_envelope(messages_tab, "Ev1")) is None


def test_the_vote_button_names_the_idea_and_the_post() -> None:
    body = payload("block_actions_vote")

    event = vote_action_event(body, body["actions"][0])

    assert event == ActionInvoked(Actor("slack", "U2"),
                                  Address("slack", "CROTA", message="1700000000.000001"), "vote", "1")


def test_a_vote_value_that_is_not_ascii_digits_votes_for_nothing() -> None:
    # Socket Mode requests skip the HTTP envelope check, so the translation itself must not pass "١٢" on.
    body = payload("block_actions_vote")
    for value in ("١٢", "²", "1e3", "1" * 10):
        body["actions"][0]["value"] = value
        event = vote_action_event(body, body["actions"][0])
        assert event is not None and event.value == ""


def test_the_modal_submission_reads_challenge_text_anonymity_and_channel() -> None:
    event = form_event(payload("view_submission_idea_form"))

    assert event == IdeaFormSubmitted(Actor("slack", "U1"), Address("slack", "CROTA"), "breaks",
                                      "A quiet room for breaks", True, "view:V0FORM1")


def test_a_modal_with_nothing_chosen_and_broken_metadata_still_translates() -> None:
    body = payload("view_submission_idea_form")
    body["view"]["state"]["values"] = {}
    body["view"]["private_metadata"] = "not json"

    event = form_event(body)

    assert (event.challenge_key, event.text, event.anonymous, event.address.conversation) == ("", "", False, None)


def test_payloads_without_the_person_or_with_wrong_shapes_are_dropped_not_crashed_on() -> None:
    no_user = payload("block_actions_vote") | {"user": None}
    list_subtype = payload("event_message_thread_reply") | {"subtype": ["odd"]}
    numeric_user = payload("event_reaction_added") | {"user": 7}

    assert vote_action_event(no_user, None) is None
    assert vote_action_event(payload("block_actions_vote"), None) is not None  # an odd action is still a press
    assert form_event(payload("view_submission_idea_form") | {"user": "U1"}) is None
    assert command_event({"text": "hello"}) is None
    assert thread_reply_event(event_envelope(list_subtype, "Ev1")) is None
    assert reaction_event(event_envelope(numeric_user, "Ev1")) is None
    assert home_event({"event": "not an object"}) is None
