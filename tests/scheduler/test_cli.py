"""`crowdbot schedule list` and `crowdbot digest --preview`, run as a person would run them."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def crowdbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # This checkout's code (PYTHONPATH), not whichever copy is installed in the venv.
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'crowdbot.db'}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=60)


def test_schedule_list_shows_the_next_prompts_and_digests_in_london_time(tmp_path: Path) -> None:
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    result = crowdbot("schedule", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    prompt = "prompt:ways-of-working: Challenge prompt: Ways of working (30 9 * * mon-fri)"
    assert "digest:leaders: You said, we did: leaders' digest (0 16 * * fri)" in lines
    prompt_times = lines[lines.index(prompt) + 1]
    assert re.fullmatch(r"    next: (\w{3} \d\d \w{3} \d{4} 09:30 (GMT|BST)(, )?){3}", prompt_times), prompt_times


def test_digest_preview_prints_the_leaders_digest(tmp_path: Path) -> None:
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    assert crowdbot("db", "upgrade", cwd=tmp_path).returncode == 0
    result = crowdbot("digest", "--preview", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("You said, we did: Better Together: shaping how we work (")
    assert "Waiting for a decision over 14 days" in result.stdout
    refused = crowdbot("digest", cwd=tmp_path)
    assert refused.returncode == 2 and "Only --preview" in refused.stderr
