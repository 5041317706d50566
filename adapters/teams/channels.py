"""The channel list of a team (GET {serviceUrl}/v3/teams/{teamId}/conversations), read when the bot is added."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

logger = logging.getLogger(__name__)


async def team_channels(turn_context: TurnContext, team_id: str) -> list[dict[str, Any]]:
    """Every channel of the team as {id, name}; empty (and logged) when the connector cannot list them, in which
    case channels are still learnt one by one from their events and messages."""
    if not team_id:
        return []
    try:
        connector = await TeamsInfo.get_teams_connector_client(turn_context)
        # The connector client is synchronous (msrest): keep it off the event loop.
        listed = await asyncio.to_thread(connector.teams.get_teams_channels, team_id)
    except Exception as error:  # msrest raises its own errors, HTTP errors and connection errors
        logger.warning("teams: could not list the channels of team %s: %s", team_id, error)
        return []
    channels = [{"id": channel.id, "name": channel.name} for channel in listed.conversations or () if channel.id]
    logger.info("teams: learnt %d channels of team %s", len(channels), team_id)
    return channels
