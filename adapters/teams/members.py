"""A member's sign-in address (GET {serviceUrl}/v3/conversations/{id}/members/{userId}), asked when the core
wants it for a fika chat link (Reply.wants_sign_in_address) and handed back as a SignInAddressFound event."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.adapter import Dispatch
from bot.events import Actor, SignInAddressFound

logger = logging.getLogger(__name__)


async def sign_in_address(turn_context: TurnContext, member_id: str) -> str | None:
    """The member's user principal name (else their email); None, logged, when the connector cannot say."""
    if not member_id:
        return None
    try:
        member = await TeamsInfo.get_member(turn_context, member_id)
    except Exception as error:  # msrest raises its own errors, HTTP errors and connection errors
        logger.warning("teams: could not look up a member's sign-in address: %s", type(error).__name__)
        return None
    return getattr(member, "user_principal_name", None) or getattr(member, "email", None) or None


async def learn_sign_in_address(turn_context: TurnContext, incoming: dict[str, Any], actor: Actor,
                                dispatch: Dispatch) -> None:
    """Looks up the sender of `incoming` and tells the core; a failure leaves things as they were."""
    sender = incoming.get("from") if isinstance(incoming.get("from"), dict) else {}
    address = await sign_in_address(turn_context, str((sender or {}).get("id") or ""))
    if address:
        await dispatch(SignInAddressFound(actor, address))
