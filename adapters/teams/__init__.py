"""Microsoft Teams through botbuilder: every botbuilder import of the project lives in this package."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from adapters.teams.adapter import TeamsAdapter
from bot.adapter import Dispatch
from bot.config import TeamsConfig
from bot.hosting import require_loopback
from bot.references import ReferenceStore

__all__ = ["TeamsAdapter", "create_adapter"]
logger = logging.getLogger(__name__)


def create_adapter(settings: TeamsConfig, dispatch: Dispatch, *, host: str, vote_emoji: Sequence[str],
                   references: ReferenceStore) -> TeamsAdapter:
    """`references`: where the messenger finds the stored conversation references it posts with.

    With no app id, authentication is off: allowed on a loopback host only, and said so in the log."""
    teams = settings
    if not teams.app_id:
        require_loopback(host, "the Teams endpoint has no app id, so it would accept unauthenticated "
                                       "requests (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)")
        logger.warning("teams: no app id configured, so /api/messages accepts unauthenticated requests "
                       "(local development and the Bot Framework Emulator only); listening on %s", host)
    return TeamsAdapter(teams, dispatch, list(vote_emoji), references)
