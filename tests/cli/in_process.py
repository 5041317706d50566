"""The CLI run in the test's own process (typer's runner): the same commands as `python -m bot`, without the few
seconds of imports each subprocess costs. Answers as a finished process does, so tests read either alike."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import cli


def crowdbot(*args: str, cwd: Path, env_db: str | None = None) -> subprocess.CompletedProcess[str]:
    with contextlib.chdir(cwd):  # app.yaml, and the paths the command is given, are the work folder's
        result = CliRunner().invoke(cli, list(args), env={"DATABASE_URL": env_db} if env_db else None)
    # Only a deliberate exit: an exception escaping the command would be a traceback for the person.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)
