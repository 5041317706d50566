"""Roles from app.yaml: everyone is staff; some are community managers, leaders or admins."""

from __future__ import annotations

from enum import StrEnum

from bot.config import RolesConfig


class Role(StrEnum):
    STAFF = "staff"
    COMMUNITY_MANAGER = "community manager"
    LEADER = "leader"
    ADMIN = "admin"


def roles_of(config: RolesConfig, ref: str) -> set[Role]:
    roles = {Role.STAFF}
    if ref in config.community_managers:
        roles.add(Role.COMMUNITY_MANAGER)
    if ref in config.leaders:
        roles.add(Role.LEADER)
    if ref in config.admins:
        roles.add(Role.ADMIN)
    return roles


MANAGERS = frozenset({Role.COMMUNITY_MANAGER, Role.ADMIN})
DECIDERS = frozenset({Role.COMMUNITY_MANAGER, Role.LEADER, Role.ADMIN})
