"""Submitting with a similar-ideas check, and the author's answer: Back #N or Post mine anyway."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.comment_posts import queue_copy
from bot.compose import confirmation
from bot.config import ChallengeConfig
from bot.context import Core
from bot.errors import UserError
from bot.grammar import CLOSED_STATUSES
from bot.message import Message
from bot.services import comments, ideas, voting
from bot.similarity.prompt import BACK_ACTION, POST_ACTION, backed_comment, similar_prompt
from bot.similarity.search import find_similar, vocabulary_for
from storage import bulk, drafts
from storage import ideas as idea_store
from storage.models import IdeaDraft

logger = logging.getLogger(__name__)

MAX_ID_DIGITS = 9  # a draft id or idea number; more digits name none and overflow PostgreSQL's 32-bit integer


class _NoLongerOpen(Exception):
    """The pressed choice cannot be applied; `choose` says so in the presser's platform's words."""


def expired(command_word: str) -> str:
    return f"That choice is no longer open. Send your idea again with `{command_word} <your idea>`."


async def submit_or_ask(
    core: Core, session: AsyncSession, *, author_ref: str, challenge: ChallengeConfig, text: str, anonymous: bool
) -> Message:
    """Posts the idea, or, when existing ideas of the challenge say the same, holds it and asks privately."""
    cleaned = ideas.check_submission(core, challenge, text)
    settings = core.config.similarity
    if settings.enabled:
        matches = await find_similar(session, vocabulary_for(settings.synonyms), cleaned,
                                     challenge_key=challenge.key, limit=settings.max_suggestions,
                                     min_score=settings.threshold)
        if matches:
            draft = await drafts.create_draft(session, author_ref=author_ref, challenge_key=challenge.key,
                                              text=cleaned, anonymous=anonymous,
                                              suggested=[m.number for m in matches], now=core.now())
            backable = {m.number for m in matches if m.status not in CLOSED_STATUSES
                        and (m.author_ref != author_ref or core.config.voting.self_votes)}
            logger.info("similar ideas: held a submission as draft %s (%d matches)", draft.id, len(matches))
            return similar_prompt(draft.id, matches, backable, challenge.title)  # type: ignore[arg-type]
    idea = await ideas.submit_idea(core, session, author_ref=author_ref, challenge=challenge, text=cleaned,
                                   anonymous=anonymous)
    return confirmation(idea, challenge.title, anonymous)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS  # ASCII only: "١" is a digit too


def _parse(action: str, value: str) -> tuple[int, int | None]:
    head, _, number = value.partition(":")
    if not _is_id(head):
        raise _NoLongerOpen
    if action == POST_ACTION:
        return int(head), None
    if not (action.startswith(BACK_ACTION) and _is_id(number)):
        raise _NoLongerOpen
    return int(head), int(number)


async def choose(core: Core, session: AsyncSession, *, actor_ref: str, action: str, value: str) -> Message:
    """Applies the author's choice once; a second press (or another replica's) says it was already done."""
    try:
        return await _choose(core, session, actor_ref=actor_ref, action=action, value=value)
    except _NoLongerOpen:
        raise UserError(expired(core.command_word(actor_ref.partition(":")[0]))) from None


async def _choose(core: Core, session: AsyncSession, *, actor_ref: str, action: str, value: str) -> Message:
    draft_id, number = _parse(action, value)
    draft = await drafts.get_draft(session, draft_id=draft_id)
    if draft is None or draft.author_ref != actor_ref:
        raise _NoLongerOpen
    if draft.resolved_at is not None:
        return Message(text=f"You already chose for that idea ({_said(draft.resolution)}). Nothing else changed.")
    if number is None:
        message, resolution = await _post_anyway(core, session, draft)
    else:
        message, resolution = await _back(core, session, draft, number)
    if not await drafts.resolve_draft(session, draft_id=draft_id, resolution=resolution, now=core.now()):
        raise UserError("You already chose for that idea. Nothing else changed.")
    return message


def _said(resolution: str) -> str:
    kind, _, number = resolution.partition(":")
    return f"you backed #{number}" if kind == "back" else f"your idea was posted as #{number}"


async def _post_anyway(core: Core, session: AsyncSession, draft: IdeaDraft) -> tuple[Message, str]:
    challenge = core.config.challenge(draft.challenge_key)
    if challenge is None:
        raise _NoLongerOpen
    idea = await ideas.submit_idea(core, session, author_ref=draft.author_ref, challenge=challenge,
                                   text=draft.text, anonymous=draft.anonymous)
    return confirmation(idea, challenge.title, draft.anonymous), f"posted:{idea.number}"


async def _back(core: Core, session: AsyncSession, draft: IdeaDraft, number: int) -> tuple[Message, str]:
    if str(number) not in draft.suggested.split(","):
        raise _NoLongerOpen
    idea = await ideas.find_idea(session, number, for_update=True)
    if idea.merged_into_id is not None:  # merged since the prompt was shown: back the idea it now lives in
        survivor = await idea_store.get_idea_by_id(session, idea_id=idea.merged_into_id)
        idea = survivor if survivor is not None else idea
    added = await voting.cast_vote(core, session, idea=idea, voter_ref=draft.author_ref)
    vocabulary = vocabulary_for(core.config.similarity.synonyms)
    commented = in_thread = False
    if vocabulary.term_set(draft.text) - vocabulary.term_set(idea.text):  # their text says more than #N does
        # The held text was accepted as an idea, so it is kept whole as the comment rather than held to
        # comment_max_length: the person never wrote a comment, and refusing (or cutting) their words would leave
        # them unable to back at all. It is no longer than the idea posts every platform already carries.
        commented = await comments.add_comment(core, session, idea=idea, author_ref=draft.author_ref,
                                               text=draft.text, source_ref=f"draft:{draft.id}",
                                               limit=max(len(draft.text), core.config.campaign.comment_max_length))
    if commented:
        for post in await bulk.posts_of_ideas(session, idea_ids={idea.id}):  # type: ignore[arg-type]
            if post.platform in core.platforms:
                await queue_copy(core, session, platform=post.platform, conversation=post.conversation,
                                 thread=post.message_id, message=backed_comment(draft.text),
                                 source_ref=f"draft:{draft.id}")
                in_thread = True
    vote = "your vote is counted" if added else "your vote was already counted"
    comment = " and what you wrote is added as a comment" if commented else ""
    where = " in its thread" if in_thread else ""
    return Message(text=f"Thanks: you backed #{idea.number}; {vote}{comment}{where}. Nothing new was posted."), \
        f"back:{idea.number}"
