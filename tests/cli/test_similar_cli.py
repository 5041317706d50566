"""`crowdbot similar`: ranked matches with scores, as text or JSON, from the database's own index."""

import csv
import json
from pathlib import Path

from tests.cli.in_process import crowdbot
from tests.cli.test_cli import workdir  # noqa: F401  (the fixture)

IDEAS = [
    ("wellbeing", "A quiet rest room on every ward where staff can have a break away from patients", "slack:U1", "yes"),
    ("wellbeing", "Free hot drinks for staff on night shifts", "slack:U2", "no"),
    ("digital", "A quiet room for video calls with patients", "slack:U3", "no"),
]


def seed(workdir: Path, database_url: str) -> None:  # noqa: F811
    assert crowdbot("db", "upgrade", cwd=workdir, env_db=database_url).returncode == 0
    with (workdir / "ideas.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["challenge", "text", "author", "anonymous"])
        writer.writerows(IDEAS)
    assert crowdbot("import", "ideas.csv", cwd=workdir, env_db=database_url).returncode == 0


def test_similar_prints_ranked_json_for_one_challenge(workdir: Path, database_url: str) -> None:  # noqa: F811
    seed(workdir, database_url)

    result = crowdbot("similar", "Quiet break room on each ward", "--challenge", "wellbeing", "--format", "json",
                      cwd=workdir, env_db=database_url)

    assert result.returncode == 0, result.stderr
    matches = json.loads(result.stdout)
    assert matches[0]["number"] == 1 and matches[0]["text"] == IDEAS[0][1]
    assert all(set(m) == {"number", "score", "text"} for m in matches)
    assert 3 not in [m["number"] for m in matches]  # another challenge's idea is not offered
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    assert "U1" not in result.stdout  # never an author


def test_similar_as_text_marks_scores_above_the_threshold(workdir: Path, database_url: str) -> None:  # noqa: F811
    seed(workdir, database_url)

    result = crowdbot("similar", "quiet rooms", "--limit", "5", cwd=workdir, env_db=database_url)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert {line.split("\t")[0] for line in lines if line.startswith("#")} == {"#1", "#3"}
    bad = crowdbot("similar", "x", "--challenge", "nope", cwd=workdir, env_db=database_url)
    assert bad.returncode == 1 and "no challenge called 'nope'" in bad.stderr
