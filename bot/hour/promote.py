"""`/idea promote <hour-key> <question> <answer>`: a community manager turns an idea hour's answer into an idea."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import shorten
from bot.context import Core
from bot.errors import UserError
from bot.events import Address
from bot.grammar import Promote
from bot.hour.anonymise import anonymise_button
from bot.hour.control import find_hour
from bot.message import Message
from bot.roles import MANAGERS
from bot.services import comments, ideas
from bot.services.delivery import queue_channel_post, queue_direct
from storage import hours

PROMOTE_ACTION = "make_idea"  # the Slack message shortcut's callback id (adapters/slack/manifest.yaml)


async def promote_answer(core: Core, session: AsyncSession, command: Promote, ref: str) -> Message:
    """Creates the idea under the answer's author (told privately), links the two both ways; votes start at 0."""
    core.require(ref, MANAGERS, "turn idea hour answers into ideas")
    hour = find_hour(core, command.hour_key)
    run = await hours.get_run(session, hour_key=hour.key)
    question = await hours.question_at(session, run_id=run.id, position=command.question) if run else None  # type: ignore[arg-type]
    if question is None:
        raise UserError(f"The idea hour {hour.key!r} has no Q{command.question} yet. Nothing was changed.")
    answer = await hours.nth_answer(session, question_id=question.id, number=command.answer)  # type: ignore[arg-type]
    if answer is None:
        count = await hours.count_answers(session, question_id=question.id)  # type: ignore[arg-type]
        raise UserError(f"Q{question.position} of {hour.key!r} has {count} answer(s), so there is no answer "
                        f"{command.answer}. `crowdbot hour report {hour.key}` lists them. Nothing was changed.")
    if answer.promoted_idea_id is not None:
        raise UserError(f"Answer {command.answer} to Q{question.position} is an idea already. Nothing was changed.")
    challenge = core.config.challenge(hour.challenge)
    if challenge is None:  # the configuration check makes this unreachable; say so plainly if it happens
        raise UserError(f"The idea hour's challenge {hour.challenge!r} is not configured. Nothing was changed.")
    idea = await ideas.submit_idea(core, session, author_ref=answer.author_ref, challenge=challenge,
                                   text=answer.text, anonymous=False)
    await hours.set_promoted(session, answer_id=answer.id, idea_id=idea.id)  # type: ignore[arg-type]
    origin = f"Q{question.position} answer {command.answer} in the idea hour \"{hour.title}\" (#{hour.key})"
    await comments.add_comment(core, session, idea=idea, author_ref=ref, text=f"From {origin}.",
                               source_ref=f"hour-answer:{answer.id}")
    agreed = await hours.agreement_count(session, answer_id=answer.id)  # type: ignore[arg-type]
    await queue_direct(core, session, answer.author_ref, Message(
        text=f"Your answer \"{shorten(answer.text, 200)}\" ({origin}) is now idea #{idea.number} in "
             f"\"{challenge.title}\", under your name. It starts with no votes: the {agreed} people who agreed "
             f"with your answer can vote for it like any idea. Thank you! Rather not be named? Press \"Make it "
             f"anonymous\" or send me `anonymise #{idea.number}`.", actions=(anonymise_button(idea.number),)))
    post = await hours.post_of(session, question_id=question.id, platform=answer.platform,  # type: ignore[arg-type]
                               conversation=answer.conversation)
    if post is not None:  # the link back, in the thread where the answer is
        await queue_channel_post(core, session, f"{answer.platform}:{answer.conversation}", Message(
            text=f"Answer {command.answer} to this question is now idea #{idea.number} in \"{challenge.title}\". "
                 f"Vote for it like any idea."), thread=post.message_id)
    return Message(text=f"Answer {command.answer} to Q{question.position} of {hour.key!r} is now idea "
                        f"#{idea.number}; its author has been told privately.")


async def promote_message(core: Core, session: AsyncSession, address: Address, ref: str) -> Message:
    """The same, from the answer itself (Slack's "Make this an idea" message shortcut)."""
    core.require(ref, MANAGERS, "turn idea hour answers into ideas")
    place = await hours.answer_place(session, platform=address.platform, conversation=address.conversation,
                                     message_id=address.message or "")
    if place is None:
        raise UserError("That message is not an answer in an idea hour, so it was not made into an idea. "
                        "Use this on a reply in a question's thread. Nothing was changed.")
    return await promote_answer(core, session, Promote(*place), ref)
