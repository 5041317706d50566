"""`crowdbot export --format polis -o DIR` writes Polis's four files."""

from pathlib import Path

from tests.cli.in_process import crowdbot
from tests.cli.test_cli import workdir  # noqa: F401  (the fixture)
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


def test_a_folder_with_something_in_it_is_replaced_only_with_force(workdir: Path, database_url: str) -> None:  # noqa: F811
    seed(workdir, database_url)
    (workdir / "polis").mkdir()
    (workdir / "polis" / "notes.txt").write_text("mine")

    refused = crowdbot("export", "--format", "polis", "-o", "polis", cwd=workdir, env_db=database_url)

    assert refused.returncode == 2 and "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(path.name for path in (workdir / "polis").iterdir()) == ["notes.txt"]
    forced = crowdbot("export", "--format", "polis", "-o", "polis", "--force", cwd=workdir, env_db=database_url)
    assert forced.returncode == 0, forced.stderr
    assert sorted(path.name for path in (workdir / "polis").iterdir()) == [
        "comments.csv", "notes.txt", "participants-votes.csv", "summary.csv", "votes.csv"]  # only its own files


def test_a_failed_export_leaves_no_half_written_folder_and_no_traceback(workdir: Path,  # noqa: F811
                                                                        database_url: str) -> None:
    seed(workdir, database_url)
    (workdir / "polis" / "votes.csv").mkdir(parents=True)  # one of the four names is taken by a folder
    before = sorted(path.name for path in workdir.iterdir())

    result = crowdbot("export", "--format", "polis", "-o", "polis", "--force", cwd=workdir, env_db=database_url)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "votes.csv" in result.stderr
    assert [path.name for path in (workdir / "polis").iterdir()] == ["votes.csv"]  # nothing written beside it
    assert sorted(path.name for path in workdir.iterdir()) == before  # and no partial folder left beside it
    unwritable = crowdbot("export", "--format", "polis", "-o", "ideas.csv/polis", cwd=workdir, env_db=database_url)
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert len(unwritable.stderr.strip().splitlines()) == 1 and "ideas.csv" in unwritable.stderr
    assert sorted(path.name for path in workdir.iterdir()) == before
