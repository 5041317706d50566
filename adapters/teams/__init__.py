"""Microsoft Teams through botbuilder: every botbuilder import of the project lives in this package."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.teams.adapter import TeamsAdapter
from bot.hosting import require_loopback

if TYPE_CHECKING:
    from bot.app import Runtime

__all__ = ["TeamsAdapter", "create_adapter"]
logger = logging.getLogger(__name__)


def create_adapter(runtime: Runtime) -> TeamsAdapter:
    """With no app id, authentication is off: allowed on a loopback host only, and said so in the log."""
    teams = runtime.config.teams
    if not teams.app_id:
        require_loopback(runtime.host, "the Teams endpoint has no app id, so it would accept unauthenticated "
                                       "requests (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)")
        logger.warning("teams: no app id configured, so /api/messages accepts unauthenticated requests "
                       "(local development and the Bot Framework Emulator only); listening on %s", runtime.host)
    return TeamsAdapter(teams, runtime.dispatch, list(runtime.config.voting.emoji))
