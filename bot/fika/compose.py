"""Fika messages: the group's introduction, "Did you meet?", "Stay in?", and notes to managers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.message import Message, MessageAction, MessageField

IDEA_ACTION = "fika_idea"
OUTCOME_ACTIONS = {"fika_met": "met", "fika_not_yet": "not_yet", "fika_cant": "cant"}
STAY_ACTION, LEAVE_ACTION = "fika_stay", "fika_leave"
JOIN_ACTION, OFF_ACTION = "fika_join", "fika_off"  # the round announcement's buttons: `fika on` and `fika off`
OUTCOME_WORDS = {"met": "you met", "not_yet": "not yet", "cant": "you can't make it"}


def how_to_stop(command_word: str) -> str:
    return f"`{command_word} fika skip` sits out the next round; `{command_word} fika off` stops fika for you."


def names(people: Sequence[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def introduction(*, people: Sequence[str], challenge_title: str, question: str, group_id: int,
                 to_one: bool = False, chat_link: str | None = None, command_word: str = "/idea") -> Message:
    """The round's message: to the whole group at once (people: everyone in it), or to one member (to_one;
    people: the others). `command_word`: what its readers type before a command on their platform."""
    who = names(people)
    title = f"Fika: meet {who}" if to_one else f"Fika: {who}"
    body = (f"You've been paired at random for a fika with {who}: colleagues you may not work with every day. "
            if to_one else "You've been paired at random for a fika: colleagues you may not work with every day. ")
    body += ("Find 20 minutes this week for a coffee, in person or on a call, and talk about this question:\n"
             f"{question}")
    fields = [MessageField("Challenge", challenge_title)]
    if chat_link:
        fields.append(MessageField("Start a chat", chat_link))
    hint = f"Had an idea together? Share it with the button. {how_to_stop(command_word)}"
    return Message(text=f"{title}\n{body}\nChallenge: {challenge_title}\n{hint}", title=title, body=body,
                   fields=tuple(fields), actions=(MessageAction("Share an idea from our chat", IDEA_ACTION,
                                                                str(group_id)),), context=hint)


def no_chat_link(people: Sequence[str]) -> str:
    return (f"No link this time: search Teams for {names(people)} and start a chat (a link needs their sign-in "
            "addresses in the people list).")


def did_you_meet(*, others: Sequence[str], round_id: int, question: str, command_word: str = "/idea") -> Message:
    title = "Did you meet?"
    body = f"Your fika with {names(others)} was about: {question}\nDid you manage to meet?"
    actions = (MessageAction("Yes", "fika_met", str(round_id)), MessageAction("Not yet", "fika_not_yet",
                                                                                str(round_id)),
               MessageAction("We can't", "fika_cant", str(round_id)))
    return Message(text=f"{title}\n{body}", title=title, body=body, actions=actions, context=how_to_stop(command_word))


def stay_in_question() -> Message:
    title = "Stay in fika?"
    body = ("We haven't heard back from your last three fika rounds. That's fine: do you want to keep being "
            "paired, or take a break? You stay in until you say.")
    actions = (MessageAction("Keep me in", STAY_ACTION, "1"), MessageAction("Take a break", LEAVE_ACTION, "1"))
    return Message(text=f"{title}\n{body}", title=title, body=body, actions=actions)


def announcement(*, number: int, people: int, question: str, challenge_title: str, command_word: str) -> Message:
    """The round's post in a channel everyone reads: what fika is and how many took part (a count, never who)."""
    title = f"Fika round {number}: {people} people paired"
    body = (f"Fika puts colleagues who may not work together every day with each other at random for a coffee, to "
            f"talk about one of the campaign's questions. This round, {people} people were paired, and they are "
            f"talking about:\n{question}")
    hint = (f"Join with the button, or `{command_word} fika on`: you'll be paired from the next round. "
            f"`{command_word} fika off` stops it any time.")
    actions = (MessageAction("Join the next round", JOIN_ACTION, "1"), MessageAction("Leave", OFF_ACTION, "1"))
    return Message(text=f"{title}\n{body}\nChallenge: {challenge_title}\n{hint}", title=title, body=body,
                   fields=(MessageField("Challenge", challenge_title),), actions=actions, context=hint)


def round_not_run(reason: str) -> Message:
    text = f"No fika round this time: {reason} Nobody was messaged."
    return Message(text=text, title="Fika round not run", body=text)


def round_summary(*, number: int, people: int, groups: int, question: str, notes: Sequence[str]) -> Message:
    text = f"Fika round {number}: {people} people in {groups} groups, talking about: {question}"
    if notes:
        text += "\n" + "\n".join(notes)
    return Message(text=text)
