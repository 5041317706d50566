"""The closing post of the largest hour app.yaml allows, with the longest answers, fits one Slack message and
one Teams activity (Block Kit: 50 blocks, 3,000 characters a section; Teams: 80 KB recommended)."""

import json
from datetime import UTC, datetime

from adapters.slack.render import SECTION_LIMIT, message_payload
from adapters.teams.render import activity
from bot.hour.compose import closing
from bot.hour.figures import HourFigures, QuestionFigures, RankedAnswer
from storage.models import IdeaHourAnswer, IdeaHourQuestion, IdeaHourRun
from tests.factories import make_config

MAX_QUESTIONS = 20  # IdeaHourConfig.questions max_length


def largest_hour():  # type: ignore[no-untyped-def]
    questions = [f"Q{n}: " + "Why & how <would> we " * 60 for n in range(1, MAX_QUESTIONS + 1)]
    hour = make_config(idea_hours=[{"key": "big", "challenge": "rotas", "title": "T" * 300,
                                    "channels": ["slack:CROTA"], "starts": "2026-12-03 19:00",
                                    "questions": questions}]).idea_hours[0]
    now = datetime(2026, 12, 3, 19, tzinfo=UTC)
    run = IdeaHourRun(id=1, hour_key="big", challenge_key="rotas", started_by="schedule", started_at=now)
    longest = "<&>" * 666 + "x" * 2  # comment_max_length 2000, every character one that needs escaping
    per_question = []
    for position, text in enumerate(questions, start=1):
        question = IdeaHourQuestion(id=position, run_id=1, position=position, text=text, posted_at=now)
        answers = tuple(RankedAnswer(n, IdeaHourAnswer(id=position * 1000 + n, question_id=position, platform="slack",
                                                       conversation="CROTA", message_id=f"{position}.{n}",
                                                       author_ref="slack:U1", text=longest, created_at=now), 150 - n)
                        for n in range(1, 151))
        per_question.append(QuestionFigures(question, answers))
    return hour, HourFigures(run, 1500, 700, tuple(per_question))


def test_the_largest_closing_post_fits_slack_and_teams() -> None:
    hour, figures = largest_hour()
    message = closing(hour, figures, "Fairer rotas")
    payload = message_payload([message])
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_LIMIT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    assert len(payload["text"]) <= 40000
    assert "&lt;&amp;&gt;" in json.dumps(payload["blocks"])  # answers are escaped, not cut mid-entity
    assert len(json.dumps(activity(message)).encode()) <= 80 * 1024
