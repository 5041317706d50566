"""Submitting ideas and reading them back (show, mine, top)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import IdeaView, author_label
from bot.config import ChallengeConfig
from bot.context import Core
from bot.errors import UserError
from bot.patient_data import refuse_patient_data
from bot.services.delivery import queue_idea_posts
from bot.services.validation import clean_text
from storage import ideas, identities, participants
from storage.erasure import FORMER_PARTICIPANT
from storage.models import Idea


def resolve_challenge(core: Core, key: str | None, *, platform: str, conversation: str | None) -> ChallengeConfig:
    """The named challenge, else the channel's, else the first open one."""
    if key:
        challenge = core.config.challenge(key.lower())
        if challenge is None:
            known = ", ".join(c.key for c in core.config.challenges)
            raise UserError(f"There is no challenge called {key!r}. Challenges: {known}.")
        return challenge
    challenge = core.challenge_for(platform, conversation)
    if challenge is not None:
        return challenge
    open_now = core.open_challenges()
    if not open_now:
        raise UserError("No challenge is open for ideas right now. Thank you for wanting to take part!")
    return open_now[0]


def check_submission(core: Core, challenge: ChallengeConfig, text: str) -> str:
    """The idea's cleaned text, or UserError saying why it cannot be submitted (nothing is stored)."""
    cleaned = clean_text(text, what="idea", limit=core.config.campaign.idea_max_length)
    refuse_patient_data(cleaned, what="idea", settings=core.config.data_protection)
    if not challenge.is_open(core.today()):
        when = f"closed on {challenge.closes}" if challenge.closes and challenge.closes < core.today() \
            else f"opens on {challenge.opens}"
        raise UserError(f"The challenge {challenge.title!r} {when}; your idea was not saved.")
    return cleaned


async def submit_idea(
    core: Core, session: AsyncSession, *, author_ref: str, challenge: ChallengeConfig, text: str, anonymous: bool
) -> Idea:
    cleaned = check_submission(core, challenge, text)
    number = await ideas.allocate_number(session, campaign_name=core.config.campaign.name)
    idea = await ideas.create_idea(session, number=number, challenge_key=challenge.key, text=cleaned,
                                   author_ref=author_ref, anonymous=anonymous, now=core.now())
    await participants.record_contribution(session, ref=author_ref, now=core.now())
    await queue_idea_posts(core, session, idea)
    return idea


async def find_idea(session: AsyncSession, number: int, *, for_update: bool = False) -> Idea:
    idea = await ideas.get_idea(session, number=number, for_update=for_update)
    if idea is None:
        raise UserError(f"There is no idea #{number}. Try 'top' or 'mine' to find its number.")
    return idea


async def idea_views(core: Core, session: AsyncSession, items: list[Idea], *, viewers: bool = False
                     ) -> list[IdeaView]:
    """Gathers votes, comments, themes, names and decisions for several ideas in a few queries; with `viewers`
    (idea posts), also who sees each card their own way."""
    ids = [idea.id for idea in items if idea.id is not None]
    votes = await ideas.vote_counts(session, idea_ids=ids)
    comments = await ideas.comment_counts(session, idea_ids=ids)
    themes = await ideas.themes_of(session, idea_ids=ids)
    decisions = await ideas.last_decisions(session, idea_ids=ids)
    names = await participants.display_names(session, refs={i.author_ref for i in items if not i.anonymous})
    survivors = await ideas.numbers_of(session, idea_ids={i.merged_into_id for i in items if i.merged_into_id})
    merged_numbers = {idea.id: survivors[idea.merged_into_id] for idea in items
                      if idea.merged_into_id is not None and idea.merged_into_id in survivors}
    views = []
    for idea in items:
        challenge = core.config.challenge(idea.challenge_key)
        views.append(IdeaView(
            idea=idea, votes=votes.get(idea.id, 0), comments=comments.get(idea.id, 0),  # type: ignore[arg-type]
            themes=themes.get(idea.id, []), author=author_label(idea, names),  # type: ignore[arg-type]
            challenge_title=challenge.title if challenge else idea.challenge_key,
            last_decision=decisions.get(idea.id),  # type: ignore[arg-type]
            merged_into_number=merged_numbers.get(idea.id),
            viewers=await card_viewers(session, idea) if viewers else (),
        ))
    return views


VIEWER_LIMIT = 60  # Teams refreshes a card for at most 60 people; they are the most recent ones


async def card_viewers(session: AsyncSession, idea: Idea) -> tuple[str, ...]:
    """The author (never an anonymous one: the card's payload reaches everyone in the channel) and the latest
    backers, each followed by their other ids on the same platform."""
    people = [] if idea.anonymous or idea.author_ref == FORMER_PARTICIPANT else [idea.author_ref]
    voters = await ideas.recent_voters(session, idea_id=idea.id, limit=VIEWER_LIMIT)  # type: ignore[arg-type]
    people += [ref for ref in voters if ref not in people][: VIEWER_LIMIT - len(people)]
    aliases = await identities.aliases_of(session, refs=people)
    return tuple(ref for person in people for ref in (person, *aliases[person]))
