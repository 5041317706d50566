"""The `fika:` settings and the people CSV: clear messages naming what is wrong, and nothing half-done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import ConfigError
from bot.context import Core
from bot.errors import UserError
from bot.fika.people import import_people, parse_people
from storage import fika
from tests.fika.conftest import fika_config

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(("setting", "expected"), [
    ({"group_size": 1}, "fika.group_size: 1: Input should be greater than or equal to 2"),
    ({"challenge": "nope"}, "fika.challenge: 'nope' is not a challenge key (challenges: rotas, breaks, closed)"),
    ({"prefer_mixing": "department"}, "fika.prefer_mixing: 'department': Input should be 'team', 'site' or "
                                      "'profession'"),
    ({"cron": "weekly"}, "fika.cron: 'weekly' is not a cron expression"),
    ({"follow_up_after_days": 0}, "fika.follow_up_after_days: 0: Input should be greater than or equal to 1"),
    ({"colour": "blue"}, "fika.colour: is not a known setting"),
])
def test_bad_fika_settings_name_the_key_path(setting: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        fika_config(fika=setting)
    assert expected in str(error.value)


def test_fika_is_off_unless_configured_and_defaults_are_sensible() -> None:
    config = fika_config(fika={"challenge": None})
    assert config.fika is not None and config.fika.group_size == 2 and config.fika.prefer_mixing is None


def test_the_people_csv_is_checked_row_by_row_and_nothing_is_kept_from_a_bad_file() -> None:
    bad = ("person,name,team,site,profession\n"
           "slack:U1,Sam,Nursing,North,Nurse\n"
           "U2,Alex,Estates,,\n"
           "slack:U1,Sam again,,,\n"
           "slack:U3,Jo,\x07,,\n")
    with pytest.raises(UserError) as error:
        parse_people(bad)
    message = error.value.message
    assert message.startswith("Nothing was imported.")
    assert "line 3: person 'U2' must look like slack:U0123" in message
    assert "line 4: slack:U1 is already on line 2" in message
    assert "line 5: team contains control characters" in message
    with pytest.raises(UserError, match="unknown: department"):
        parse_people("person,department\nslack:U1,x\n")


async def test_importing_people_sets_attributes_and_keeps_their_choices(core: Core) -> None:
    async with core.db.transaction() as session:
        await fika.set_choice(session, ref="slack:U1", now=core.now(), opted_in=True)
    count = await import_people(core, parse_people("person,name,team\nslack:U1,Sam,Nursing\nslack:U2,Alex,\n"))
    assert count == 2
    async with core.db.transaction() as session:
        people = await fika.people(session, refs=["slack:U1", "slack:U2"])
    assert (people["slack:U1"].name, people["slack:U1"].team, people["slack:U1"].opted_in) == ("Sam", "Nursing", True)
    assert (people["slack:U2"].team, people["slack:U2"].opted_in) == (None, False)


def crowdbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whatever the venv has installed
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=env)


def test_the_command_line_imports_people_runs_a_round_and_reports(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "app.yaml").read_text())
    raw["storage"] = {"url": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"}
    raw["fika"] = {"cron": "0 9 * * mon", "challenge": raw["challenges"][0]["key"], "prefer_mixing": "site"}
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(raw))
    assert crowdbot("db", "upgrade", cwd=tmp_path).returncode == 0
    (tmp_path / "bad.csv").write_text("person,name,team\nplayground:Sam,Sam,A\nbad,,\n")
    refused = crowdbot("people", "import", "bad.csv", cwd=tmp_path)
    assert refused.returncode == 1 and "line 3: person 'bad'" in refused.stderr
    (tmp_path / "people.csv").write_text("person,name,team\nplayground:Sam,Sam,A\nplayground:Alex,Alex,B\n")
    assert "Imported 2 people." in crowdbot("people", "import", "people.csv", cwd=tmp_path).stdout
    lonely = crowdbot("fika", "round", cwd=tmp_path)
    assert lonely.returncode == 0 and "No fika round this time: 0 people are opted in" in lonely.stdout
    report = crowdbot("fika", "report", cwd=tmp_path)
    assert report.returncode == 0 and "Rounds: 0" in report.stdout and "People paired: 0" in report.stdout
