"""The crowdbot command line, run as a person would run it."""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

ROOT = Path(__file__).parents[2]


def crowdbot(*args: str, cwd: Path, env_db: str | None = None) -> subprocess.CompletedProcess[str]:
    import os

    # This checkout's code, not whichever copy is installed in the venv (the subprocess runs in a temp dir).
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


def test_commands_refuse_an_unmigrated_database(workdir: Path) -> None:
    result = crowdbot("stats", cwd=workdir)
    assert result.returncode == 1 and "crowdbot db upgrade" in result.stderr


def test_import_export_round_trip_without_anonymous_authors(workdir: Path, database_url: str) -> None:
    assert crowdbot("db", "upgrade", cwd=workdir, env_db=database_url).returncode == 0
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
    result = crowdbot("import", "ideas.csv", cwd=workdir, env_db=database_url)
    assert result.returncode == 0, result.stderr
    assert "Imported 3 ideas" in result.stdout

    exported = crowdbot("export", "--format", "csv", cwd=workdir, env_db=database_url)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["challenge"], r["text"].lstrip("'")) for r in rows] == [(i["challenge"], i["text"]) for i in ideas]
    assert rows[1]["text"].startswith("'=")  # a formula is neutralised for spreadsheets
    assert [r["author"] for r in rows] == ["slack:U1", "", "import:Workshop A"]
    assert "USECRET" not in exported.stdout

    assert crowdbot("export", "--format", "xlsx", "-o", "ideas.xlsx", cwd=workdir, env_db=database_url).returncode == 0
    sheet = load_workbook(workdir / "ideas.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "Quiet rooms for breaks" in cells and "USECRET" not in " ".join(cells)

    stats = crowdbot("stats", cwd=workdir, env_db=database_url)
    assert "Ideas: 3" in stats.stdout


def test_import_is_all_or_nothing(workdir: Path, database_url: str) -> None:
    crowdbot("db", "upgrade", cwd=workdir, env_db=database_url)
    (workdir / "bad.csv").write_text("challenge,text,author,anonymous\nwellbeing,Fine idea,a,no\nnope,Other,b,no\n"
                                     "digital,,c,no\n")
    result = crowdbot("import", "bad.csv", cwd=workdir, env_db=database_url)
    assert result.returncode == 1
    assert "line 3: unknown challenge 'nope'" in result.stderr and "line 4: Your idea is empty" in result.stderr
    assert "Ideas: 0" in crowdbot("stats", cwd=workdir, env_db=database_url).stdout
