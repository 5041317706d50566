"""The author of an idea made from their idea hour answer takes their name off it: one button in the private
message that told them, or `anonymise #N`. From then on nothing the bot writes names them as its author."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.context import Core
from bot.errors import UserError
from bot.message import Message, MessageAction
from bot.services.delivery import queue_post_updates
from storage import ideas
from storage.models import Comment, IdeaHourAnswer

logger = logging.getLogger(__name__)

ANONYMISE_ACTION = "hour_idea_anonymous"  # its value is the idea's number


def anonymise_button(number: int) -> MessageAction:
    return MessageAction("Make it anonymous", ANONYMISE_ACTION, str(number))


async def make_anonymous(core: Core, session: AsyncSession, ref: str, number: int) -> Message:
    """Marks the idea anonymous, rewords the bot's note on it that named the answer, and refreshes its posts.
    Refused, naming no one, for anyone but the answer's author and for ideas not made from an answer."""
    idea = await ideas.get_idea(session, number=number, for_update=True)
    answer = None
    if idea is not None:
        statement = select(IdeaHourAnswer).where(col(IdeaHourAnswer.promoted_idea_id) == idea.id)
        answer = (await session.execute(statement.limit(1))).scalar_one_or_none()
    if idea is None or answer is None or idea.author_ref != ref:
        raise UserError(f"#{number} is not an idea made from one of your idea hour answers, so there is no name "
                        f"of yours to take off it. Nothing was changed.")
    if idea.anonymous:
        return Message(text=f"#{number} is anonymous already: the bot never names you as its author.")
    idea.anonymous = True
    session.add(idea)
    # The note the promotion left on the idea named the question and answer number: readers of the thread
    # could match it to the answer, whose author the platform shows. It keeps only where the idea came from.
    await session.execute(update(Comment).where(col(Comment.source_ref) == f"hour-answer:{answer.id}")
                          .values(text="From an idea hour."))
    await queue_post_updates(core, session, idea)
    logger.info("idea #%d made anonymous by its author", number)
    return Message(text=f"Done: #{number} is now anonymous. Its posts are being updated without your name, and "
                        f"the bot will not name you as its author anywhere (cards, digests, exports, reports, the "
                        f"dashboard). Your original answer is still in the idea hour's thread under your name: "
                        f"delete it there if you want no trace of it.")
