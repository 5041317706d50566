"""The governance pack stays true of the code: every table and every Slack scope is named in it."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers every table

ROOT = Path(__file__).resolve().parents[1]


def test_every_table_is_described_in_data_md() -> None:
    described = (ROOT / "docs" / "DATA.md").read_text()
    missing = [table for table in SQLModel.metadata.tables if f"`{table}`" not in described]
    assert missing == []


def test_every_slack_scope_is_explained_in_permissions_md() -> None:
    manifest = yaml.safe_load((ROOT / "adapters" / "slack" / "manifest.yaml").read_text())
    explained = (ROOT / "docs" / "PERMISSIONS.md").read_text()
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert scopes and [scope for scope in scopes if f"`{scope}`" not in explained] == []
