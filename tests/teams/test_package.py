"""`crowdbot teams-package` writes the zip an admin uploads: manifest with the app id, RSC permission, icons."""

from __future__ import annotations

import io
import json
import zipfile

from PIL import Image
from typer.testing import CliRunner

from bot.cli import cli

APP_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def test_package_has_the_app_id_commands_rsc_permission_and_icons(tmp_path):
    output = tmp_path / "crowdbot-teams.zip"
    result = CliRunner().invoke(cli, ["teams-package", "--app-id", APP_ID, "-o", str(output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        sizes = {name: Image.open(io.BytesIO(archive.read(name))).size for name in ("color.png", "outline.png")}
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["webApplicationInfo"]["id"] == APP_ID
    assert "{{" not in json.dumps(manifest)
    rsc = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in rsc
    commands = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert "idea" in commands and "idea top" in commands
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}


def test_package_refuses_a_missing_or_malformed_app_id(tmp_path):
    output = tmp_path / "out.zip"
    result = CliRunner().invoke(cli, ["teams-package", "--app-id", "not-a-guid", "-o", str(output)])
    assert result.exit_code == 2
    assert "is not a Microsoft app id" in result.output
    assert not output.exists()
