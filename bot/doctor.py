"""`crowdbot doctor`: every channel and person app.yaml names (each idea hour's channels too), whether the bot can
reach them now, what to do."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import AppConfig
from storage import conversations, outbox

CAN_REACH, CANNOT_REACH, NOT_KNOWN = "yes", "no", "not yet known"
ADAPTER_OFF = {
    "slack": "the Slack adapter is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (crowdbot check-config says why)",
    "teams": "the Teams adapter is off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD",
    "playground": "the playground is off (Slack or Teams credentials are set); playground.enabled: true turns it on",
}
SLACK_CHANNEL_FIX = {
    "not_in_channel": "invite the bot: /invite @Crowdbot in that channel",
    "channel_not_found": "check the channel id (channel details, at the bottom) and invite the bot there",
    "is_archived": "the channel is archived: unarchive it or configure another one",
}


@dataclass(frozen=True)
class Reach:
    ref: str
    role: str  # what app.yaml uses it for
    reachable: str  # CAN_REACH, CANNOT_REACH or NOT_KNOWN
    detail: str  # why, and what to do when it is not "yes"

    def line(self) -> str:
        return f"{self.ref}  [{self.role}]  reachable: {self.reachable}. {self.detail}"


def configured(config: AppConfig) -> list[tuple[str, str, bool]]:
    """(ref, what it is for, is a person) for every channel and person app.yaml names, each once."""
    found: dict[str, tuple[str, bool]] = {}
    for challenge in config.challenges:
        for ref in challenge.channels:
            found.setdefault(ref, (f"channel of challenge {challenge.key}", False))
    community = config.digests.community
    for ref in community.channels if community else []:
        found.setdefault(ref, ("community digest channel", False))
    for role, refs in (("community manager", config.roles.community_managers), ("leader", config.roles.leaders),
                       ("admin", config.roles.admins)):
        for ref in refs:
            found.setdefault(ref, (role, True))
    return [(ref, role, person) for ref, (role, person) in found.items()]


async def _teams(session: AsyncSession, ident: str, person: bool) -> tuple[str, str]:
    key = f"teams:user:{ident}" if person else f"teams:{ident}"
    if await conversations.get_reference(session, key=key) is not None:
        how = "their 1:1 chat" if person else "the channel"
        return CAN_REACH, f"a conversation reference for {how} is stored."
    if person:
        return CANNOT_REACH, ("no conversation reference: ask them to add Crowdbot for themselves (Apps > Crowdbot > "
                              "Add) or send it one message; messages for them wait until then.")
    return CANNOT_REACH, ("no conversation reference: add Crowdbot to the team that has this channel (Teams reads "
                          "the team's channel list then); messages for it wait until then.")


async def _slack(session: AsyncSession, ident: str, person: bool) -> tuple[str, str]:
    latest, _ = await outbox.delivery_record(session, platform="slack", conversation=None if person else ident,
                                             user_ref=ident if person else None)
    if latest is not None and latest.state == "failed":
        code = (latest.last_error or "").rsplit(": ", 1)[-1]
        fix = SLACK_CHANNEL_FIX.get(code, "check the id and the app's installation")
        return CANNOT_REACH, f"the last delivery failed ({code}): {fix}."
    if latest is not None:
        return CAN_REACH, f"the last delivery arrived ({latest.sent_at:%Y-%m-%d %H:%M} UTC)."
    if person:
        return CAN_REACH, "direct messages go to the app's Messages tab with them."
    return NOT_KNOWN, "nothing posted there yet: make sure the bot is a member (/invite @Crowdbot in the channel)."


def hour_channels(config: AppConfig) -> list[tuple[str, str, str]]:
    """(ref, what it is for, what to do when it is no challenge channel: "" when it is) for every channel of
    every idea hour. check-config refuses such an hour; the doctor still says so when run on an older file."""
    found = []
    for index, hour in enumerate(config.idea_hours):
        challenge = config.challenge(hour.challenge)
        for position, ref in enumerate(hour.channels):
            if challenge is not None and ref in challenge.channels:
                found.append((ref, f"idea hour {hour.key}; a channel of challenge {hour.challenge}", ""))
                continue
            found.append((ref, f"idea hour {hour.key}; NOT a channel of challenge {hour.challenge}",
                          f" Not a challenge channel: add {ref} to the channels of {hour.challenge!r}, or change "
                          f"idea_hours[{index}].channels[{position}] to one of its channels."))
    return found


async def _reach(platforms: frozenset[str], session: AsyncSession, ref: str, person: bool) -> tuple[str, str]:
    platform, _, ident = ref.partition(":")
    if platform not in platforms:
        return CANNOT_REACH, ADAPTER_OFF[platform] + "."
    if platform == "playground":
        return CAN_REACH, "shown in the browser playground."
    if platform == "teams":
        return await _teams(session, ident, person)
    return await _slack(session, ident, person)


async def diagnose(config: AppConfig, platforms: frozenset[str], session: AsyncSession) -> list[Reach]:
    results = []
    for ref, role, person in configured(config):
        platform, _, ident = ref.partition(":")
        reachable, detail = await _reach(platforms, session, ref, person)
        _, waiting = await outbox.delivery_record(session, platform=platform, conversation=None if person else ident,
                                                  user_ref=ident if person else None)
        if waiting:
            detail += f" {waiting} message{'s' if waiting != 1 else ''} waiting."
        results.append(Reach(ref, role, reachable, detail))
    for ref, role, fix in hour_channels(config):  # listed again under each hour: a host reads one block
        reachable, detail = await _reach(platforms, session, ref, person=False)
        results.append(Reach(ref, role, CANNOT_REACH if fix else reachable, detail + fix))
    return results
