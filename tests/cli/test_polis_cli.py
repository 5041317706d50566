"""`crowdbot export --format polis -o DIR` writes Polis's four files."""

from pathlib import Path

from tests.cli.test_cli import crowdbot, workdir  # noqa: F401  (the fixture)
from tests.cli.test_similar_cli import seed


def test_export_polis_writes_the_four_files(workdir: Path, database_url: str) -> None:  # noqa: F811
    seed(workdir, database_url)

    result = crowdbot("export", "--format", "polis", "-o", "polis", cwd=workdir, env_db=database_url)

    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (workdir / "polis").iterdir())
    assert names == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
    comments = (workdir / "polis" / "comments.csv").read_text().splitlines()
    assert len(comments) == 4 and comments[1].split(",")[3] == ""  # the first idea was imported anonymously
    missing = crowdbot("export", "--format", "polis", cwd=workdir, env_db=database_url)
    assert missing.returncode == 2 and "needs --output DIR" in missing.stderr
