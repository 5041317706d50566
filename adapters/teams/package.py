"""`crowdbot teams-package`: the Teams app package (manifest with the app id, two icons) an admin uploads."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
PLACEHOLDER = "{{MICROSOFT_APP_ID}}"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class PackageError(ValueError):
    """The package cannot be built as asked; the message says why."""


def manifest_for(app_id: str) -> dict:
    if not _GUID.match(app_id or ""):
        raise PackageError(f"{app_id!r} is not a Microsoft app id (a GUID such as "
                           "00000000-0000-0000-0000-000000000000): set MICROSOFT_APP_ID or pass --app-id")
    text = (HERE / "manifest.json").read_text(encoding="utf-8").replace(PLACEHOLDER, app_id)
    return json.loads(text)


def write_package(app_id: str, output: Path) -> Path:
    """Writes the zip (manifest.json, color.png, outline.png at its root) and returns its path."""
    manifest = manifest_for(app_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for icon in ICONS:
            archive.write(HERE / icon, icon)
    return output
