"""Everything the dashboard shows, gathered in one read; the figures are the ones `crowdbot stats` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compare.ranking import preference_scores
from bot.compare.score import Preference
from bot.compose import IdeaView, stats_message
from bot.context import Core
from bot.fika.report import fika_report
from bot.grammar import HORIZONS, STATUSES
from bot.message import Message, MessageField
from bot.services.ideas import idea_views
from bot.services.stats import acknowledgement_rate, campaign_figures
from bot.services.timeline import TimelinePoint, campaign_timeline
from storage import dashboard
from storage import hours as hour_store
from storage import ideas as idea_store
from storage.models import IdeaHourRun

QUICK_WIN_HORIZON = "H1"
QUICK_WIN_STATUSES = ("in_progress", "done")
TOP_PER_CHALLENGE = 5


@dataclass(frozen=True)
class ChallengeTop:
    key: str
    title: str
    ideas: tuple[IdeaView, ...]


@dataclass(frozen=True)
class DashboardData:
    campaign: str
    audience_size: int
    figures: tuple[MessageField, ...]  # exactly the `crowdbot stats` lines
    by_status: tuple[tuple[str, int], ...]
    by_horizon: tuple[tuple[str, int], ...]  # "none" for ideas not yet sorted into a horizon
    top_by_challenge: tuple[ChallengeTop, ...]
    quick_wins: tuple[IdeaView, ...]
    timeline: tuple[TimelinePoint, ...]
    fika: Message | None = None  # the randomised fika trial's report, when fika is configured
    preference: dict[int, Preference] = field(default_factory=dict)  # idea id -> its "A or B?" score
    hours: tuple[tuple[str, str, str], ...] = ()  # each idea hour's (key, title, state): a link to its own page


async def dashboard_data(core: Core, session: AsyncSession) -> DashboardData:
    figures = await campaign_figures(core, session)
    # The same composition as `crowdbot stats` (stats_reply), so the two always agree.
    summary = stats_message(figures, audience_size=core.config.campaign.audience_size,
                            acknowledgement=await acknowledgement_rate(core, session),
                            campaign=core.config.campaign.name)
    by_horizon = [(horizon, figures.by_horizon.get(horizon, 0)) for horizon in HORIZONS]
    by_horizon.append(("none", figures.ideas - sum(count for _, count in by_horizon)))
    tops = []
    for challenge in core.config.challenges:
        rows = await idea_store.top_ideas(session, challenge_key=challenge.key, limit=TOP_PER_CHALLENGE)
        tops.append(ChallengeTop(challenge.key, challenge.title,
                                 tuple(await idea_views(core, session, [idea for idea, _ in rows]))))
    quick = await dashboard.ideas_by_horizon_and_status(session, horizon=QUICK_WIN_HORIZON,
                                                        statuses=QUICK_WIN_STATUSES)
    return DashboardData(
        campaign=core.config.campaign.name,
        audience_size=core.config.campaign.audience_size,
        figures=summary.fields,
        by_status=tuple((status, figures.by_status.get(status, 0)) for status in STATUSES),
        by_horizon=tuple(by_horizon),
        top_by_challenge=tuple(tops),
        quick_wins=tuple(await idea_views(core, session, quick)),
        timeline=tuple(await campaign_timeline(core, session)),
        fika=await fika_report(session) if core.config.fika is not None else None,
        preference=await preference_scores(session),
        hours=tuple([(hour.key, hour.title, _hour_state(await hour_store.get_run(session, hour_key=hour.key)))
                     for hour in core.config.idea_hours]),
    )


def _hour_state(run: IdeaHourRun | None) -> str:
    if run is None:
        return "not started"
    return "running" if run.ended_at is None else "ended"
