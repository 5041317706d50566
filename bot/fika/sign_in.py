"""Sign-in addresses for fika chat links: asked of the platform when someone joins without one in the people
CSV, stored when it answers (never over the CSV's)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.events import SignInAddressFound
from storage import fika

logger = logging.getLogger(__name__)

MAX_ADDRESS_LENGTH = 200  # FikaPerson.email's column


async def wants_sign_in_address(core: Core, session: AsyncSession, ref: str) -> bool:
    """True for an opted-in person on a platform whose fika groups meet through a chat link, with no address."""
    if core.traits_of(ref.partition(":")[0]).group_chat_link is None:
        return False
    person = await fika.get_person(session, ref=ref)
    return person is not None and person.opted_in and not person.email


async def learn_sign_in_address(core: Core, session: AsyncSession, event: SignInAddressFound) -> bool:
    address = event.sign_in_address.strip()
    if not address or len(address) > MAX_ADDRESS_LENGTH or "@" not in address or any(c.isspace() for c in address):
        logger.info("fika: ignored a sign-in address that does not look like one")
        return False
    stored = await fika.set_email_if_missing(session, ref=event.actor.ref, email=address, now=core.now())
    if stored:
        logger.info("fika: learnt the sign-in address of a %s person for chat links", event.actor.platform)
    return stored
