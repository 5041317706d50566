"""`crowdbot hour report` as a person runs it: the transcript by question, anonymous ideas' answers unnamed."""

import asyncio
import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import update

from storage import hours, participants, schema
from storage import ideas as idea_store
from storage.database import Database
from storage.models import Idea

ROOT = Path(__file__).parents[2]
START = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
CONFIG = {
    "campaign": {"name": "Report test", "audience_size": 50},
    "challenges": [{"key": "rotas", "title": "Fairer rotas", "questions": ["Q?"], "channels": ["slack:CROTA"]}],
    "idea_hours": [{"key": "handovers-hour", "challenge": "rotas", "title": "Safer handovers",
                    "channels": ["slack:CROTA"], "starts": "2026-11-23 19:00",
                    "questions": ["What goes well?", "What would you change?"]}],
}


async def seed(url: str) -> None:
    db = Database(url)
    async with db.transaction() as session:
        run = await hours.start_run(session, hour_key="handovers-hour", challenge_key="rotas", started_by="schedule",
                                    now=START)
        q1 = await hours.add_question(session, run_id=run.id, position=1, text="What goes well?", now=START)
        await hours.add_question(session, run_id=run.id, position=2, text="What would you change?", now=START)
        for number, (who, text) in enumerate([("slack:UA", "=cmd|' /C calc'!A0"), ("slack:UB", "Secret | name")]):
            await participants.touch_participant(session, ref=who, display_name=who[-2:].lower(), now=START)
            await hours.add_answers(session, rows=[{
                "question_id": q1.id, "platform": "slack", "conversation": "CROTA", "message_id": f"17.{number}",
                "author_ref": who, "text": text, "created_at": START}])
        answers = await hours.answers_of(session, run_id=run.id)
        await hours.add_agreements(session, rows=[(answers[0][0].id, "slack:UC", "+1")], now=START)
        idea = await idea_store.create_idea(session, number=1, challenge_key="rotas", text="Secret | name",
                                            author_ref="slack:UB", anonymous=True, now=START)
        await hours.set_promoted(session, answer_id=answers[1][0].id, idea_id=idea.id)
        await session.execute(update(Idea).where(Idea.id == idea.id).values(anonymous=True))
        await hours.end_run(session, run_id=run.id, now=START.replace(minute=45))
    await db.dispose()


def crowdbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whatever the venv has installed
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=env)


def test_hour_report_in_markdown_and_csv(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hour.db'}"
    (tmp_path / "app.yaml").write_text(yaml.safe_dump({**CONFIG, "storage": {"url": url}}))
    schema.upgrade(url)
    asyncio.run(seed(url))
    markdown = crowdbot("hour", "report", "handovers-hour", "-c", "app.yaml", cwd=tmp_path)
    assert markdown.returncode == 0, markdown.stderr
    assert "People taking part: 3 (0 for the first time in this campaign)" in markdown.stdout
    assert "## Q1: What goes well? (2 answers)" in markdown.stdout
    assert "## Q2: What would you change? (0 answers)" in markdown.stdout
    assert "| 2 | Secret \\| name | anonymous | 2026-11-23 19:00 | 0 | #1 |" in markdown.stdout
    assert " ub " not in markdown.stdout and "UB" not in markdown.stdout  # the anonymous idea's author
    result = crowdbot("hour", "report", "handovers-hour", "--format", "csv", "-c", "app.yaml", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["question"], r["answer"], r["who"], r["agreements"], r["idea"]) for r in rows] == [
        ("1", "1", "ua", "1", ""), ("1", "2", "anonymous", "0", "#1")]
    assert rows[0]["text"].startswith("'=")  # a formula stays text in a spreadsheet
    unknown = crowdbot("hour", "report", "nope", "-c", "app.yaml", cwd=tmp_path)
    assert unknown.returncode == 1 and "There is no idea hour called 'nope'" in unknown.stderr
    bad = crowdbot("hour", "report", "handovers-hour", "--format", "pdf", "-c", "app.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "--format must be markdown or csv" in bad.stderr
