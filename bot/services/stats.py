"""Campaign statistics, as one message or as figures for the dashboard and CLI."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import stats_message
from bot.context import Core
from bot.grammar import DECIDED_STATUSES
from bot.message import Message
from storage import stats
from storage.stats import CampaignFigures


async def campaign_figures(core: Core, session: AsyncSession) -> CampaignFigures:
    return await stats.campaign_figures(
        session, community_managers=core.config.roles.community_managers, decided_statuses=DECIDED_STATUSES)


async def acknowledgement_rate(core: Core, session: AsyncSession) -> float | None:
    within = timedelta(days=core.config.campaign.unanswered_after_days)
    eligible, answered = await stats.acknowledgement_counts(
        session, community_managers=core.config.roles.community_managers, within=within, now=core.now())
    return answered / eligible if eligible else None


async def stats_reply(core: Core, session: AsyncSession) -> Message:
    figures = await campaign_figures(core, session)
    return stats_message(figures, audience_size=core.config.campaign.audience_size,
                         acknowledgement=await acknowledgement_rate(core, session),
                         campaign=core.config.campaign.name)
