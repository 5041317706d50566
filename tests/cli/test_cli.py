"""The crowdbot command line, run as a person would run it (`python -m bot` in a subprocess); tests about the data
a command reads or writes run it in-process (tests/cli/in_process.py), which is the same command without the
seconds of imports."""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.cli import in_process  # the commands whose subject is the data, not the entry point

ROOT = Path(__file__).parents[2]


def crowdbot(*args: str, cwd: Path, env_db: str | None = None) -> subprocess.CompletedProcess[str]:
    import os

    # This checkout's code, even where another checkout is the one installed in the environment.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if env_db:
        env["DATABASE_URL"] = env_db
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    return tmp_path


def test_check_config_ok_and_broken(workdir: Path) -> None:
    assert crowdbot("check-config", "app.yaml", cwd=workdir).returncode == 0
    raw = yaml.safe_load((workdir / "app.yaml").read_text())
    raw["challenges"][1]["prompts"]["cron"] = "every morning"
    (workdir / "broken.yaml").write_text(yaml.safe_dump(raw))
    result = crowdbot("check-config", "broken.yaml", cwd=workdir)
    assert result.returncode == 2
    assert "challenges[1].prompts.cron: 'every morning' is not a cron expression" in result.stderr


def test_the_start_in_the_past_warning_reads_the_campaign_clock_not_the_wall_clock(workdir: Path,
                                                                                    monkeypatch) -> None:
    raw = yaml.safe_load((workdir / "app.yaml").read_text())
    raw["idea_hours"] = [{"key": "later-hour", "challenge": "ways-of-working", "title": "Later",
                          "channels": ["slack:C0IDEAS"], "starts": "2040-01-01 19:00", "questions": ["Q1?"]}]
    (workdir / "hour.yaml").write_text(yaml.safe_dump(raw))
    warned = []
    for start in ("2039-12-31T12:00:00+00:00", "2040-01-02T12:00:00+00:00"):
        monkeypatch.setenv("CROWDBOT_CLOCK_START", start)  # crowdbot() passes the environment on
        result = crowdbot("check-config", "hour.yaml", cwd=workdir)
        assert result.returncode == 0, result.stderr
        warned.append("idea_hours[0].starts: 2040-01-01 19:00 is in the past" in result.stderr)
    assert warned == [False, True]


def test_commands_refuse_an_unmigrated_database(workdir: Path) -> None:
    result = crowdbot("stats", cwd=workdir)
    assert result.returncode == 1 and "crowdbot db upgrade" in result.stderr


def test_import_export_round_trip_without_anonymous_authors(workdir: Path, database_url: str) -> None:
    assert in_process.crowdbot("db", "upgrade", cwd=workdir, env_db=database_url).returncode == 0
    ideas = [
        {"challenge": "wellbeing", "text": "Quiet rooms for breaks", "author": "slack:U1", "anonymous": "no"},
        {"challenge": "digital", "text": "=cmd|' /C calc'!A0 single sign-on", "author": "slack:USECRET",
         "anonymous": "yes"},
        {"challenge": "ways-of-working", "text": "Handover checklist, with \"quotes\"", "author": "Workshop A",
         "anonymous": ""},
    ]
    with (workdir / "ideas.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["challenge", "text", "author", "anonymous"])
        writer.writeheader()
        writer.writerows(ideas)
    result = in_process.crowdbot("import", "ideas.csv", cwd=workdir, env_db=database_url)
    assert result.returncode == 0, result.stderr
    assert "Imported 3 ideas" in result.stdout

    exported = in_process.crowdbot("export", "--format", "csv", cwd=workdir, env_db=database_url)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["challenge"], r["text"].lstrip("'")) for r in rows] == [(i["challenge"], i["text"]) for i in ideas]
    assert rows[1]["text"].startswith("'=")  # a formula is neutralised for spreadsheets
    assert [r["author"] for r in rows] == ["slack:U1", "", "import:Workshop A"]
    assert [r["author_name"] for r in rows] == ["U1", "", "Workshop A"]  # the name beside the id, blank if anonymous
    assert "USECRET" not in exported.stdout

    xlsx = in_process.crowdbot("export", "--format", "xlsx", "-o", "ideas.xlsx", cwd=workdir, env_db=database_url)
    assert xlsx.returncode == 0
    sheet = load_workbook(workdir / "ideas.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "Quiet rooms for breaks" in cells and "USECRET" not in " ".join(cells)

    stats = in_process.crowdbot("stats", cwd=workdir, env_db=database_url)
    assert "Ideas: 3" in stats.stdout


def test_import_is_all_or_nothing(workdir: Path, database_url: str) -> None:
    in_process.crowdbot("db", "upgrade", cwd=workdir, env_db=database_url)
    (workdir / "bad.csv").write_text("challenge,text,author,anonymous\nwellbeing,Fine idea,a,no\nnope,Other,b,no\n"
                                     "digital,,c,no\n")
    result = in_process.crowdbot("import", "bad.csv", cwd=workdir, env_db=database_url)
    assert result.returncode == 1
    assert "line 3: unknown challenge 'nope'" in result.stderr and "line 4: Your idea is empty" in result.stderr
    assert "Ideas: 0" in in_process.crowdbot("stats", cwd=workdir, env_db=database_url).stdout


def test_boolean_options_read_as_flags_in_help(workdir: Path) -> None:
    help_text = crowdbot("digest", "--help", cwd=workdir).stdout

    assert "--preview" in help_text
    assert "<bool>" not in help_text and "BOOLEAN" not in help_text  # a flag takes no value


def test_db_current_shows_the_schema_revision(workdir: Path, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    before = in_process.crowdbot("db", "current", cwd=workdir, env_db=url)
    assert before.returncode == 0 and "No schema yet" in before.stdout

    assert in_process.crowdbot("db", "upgrade", cwd=workdir, env_db=url).returncode == 0
    after = in_process.crowdbot("db", "current", cwd=workdir, env_db=url)

    from storage.schema import head_revision

    assert after.stdout.strip() == f"{head_revision()} (newest)"
