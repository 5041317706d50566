"""idea_hours in app.yaml: what is checked, with messages naming the key path, and what only warns."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, idea_hour_warnings
from scheduler.jobs import build_jobs
from tests.factories import make_config

HOUR = {"key": "handovers-hour", "challenge": "rotas", "title": "Safer handovers", "channels": ["slack:CROTA"],
        "starts": "2026-12-03 19:00", "questions": ["Q1?", "Q2?", "Q3?"], "question_interval_minutes": 15,
        "reminders": ["1d", "15m"]}


def problem(*hours: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        make_config(idea_hours=list(hours))
    return str(caught.value)


def test_a_valid_hour_is_read_with_its_times_in_the_campaign_time_zone() -> None:
    (hour,) = make_config(idea_hours=[HOUR]).idea_hours
    london = ZoneInfo("Europe/London")
    assert hour.start_at(london) == datetime(2026, 12, 3, 19, 0, tzinfo=london)
    assert hour.end_at(london) == datetime(2026, 12, 3, 19, 45, tzinfo=london)  # one interval after Q3


@pytest.mark.parametrize(("change", "expected"), [
    ({"questions": []}, "idea_hours[0].questions: []: List should have at least 1 item"),
    ({"questions": ["Q1?", "   "]}, "idea_hours[0].questions[1]: a question is empty"),
    ({"channels": ["slack:CROTA", "slack:CBREAK"]},
     "idea_hours[0].channels[1]: 'slack:CBREAK' is not a channel of the challenge 'rotas'"),
    ({"challenge": "nope"}, "idea_hours[0].challenge: 'nope' is not a challenge key"),
    ({"starts": "3rd December"}, "idea_hours[0].starts: '3rd December' is not a start time like '2026-12-03 19:00'"),
    ({"reminders": ["1 week"]}, "idea_hours[0].reminders[0]: '1 week' is not a duration like '15m'"),
    ({"hosts": ["sam"]}, "idea_hours[0].hosts[0]: 'sam' must look like 'slack:U0123'"),
    ({"question_interval_minutes": 0}, "idea_hours[0].question_interval_minutes"),
    # Kept for the playground's rehearsals: a rehearsal replaces its previous run, never a real hour's.
    ({"key": "handovers-rehearsal"}, "idea_hours[0].key: 'handovers-rehearsal' ends with '-rehearsal', which is "
                                     "kept for the playground's rehearsals"),
])
def test_bad_hours_are_refused_naming_the_key_path(change: dict, expected: str) -> None:
    assert expected in problem({**HOUR, **change})


def test_overlapping_hours_in_one_channel_are_refused_but_back_to_back_is_fine() -> None:
    overlapping = {**HOUR, "key": "second", "starts": "2026-12-03 19:30"}
    assert "idea_hours[1].starts: 'second' overlaps 'handovers-hour' (idea_hours[0]) in slack:CROTA" in problem(
        HOUR, overlapping)
    make_config(idea_hours=[HOUR, {**HOUR, "key": "second", "starts": "2026-12-03 19:45"}])
    assert "idea_hours[1].key: 'handovers-hour' is also the key of idea_hours[0]" in problem(
        HOUR, {**HOUR, "starts": "2026-12-04 19:00"})


def test_a_start_in_the_past_warns_and_does_not_fail() -> None:
    config = make_config(idea_hours=[{**HOUR, "starts": "2020-01-01 19:00"}])
    (warning,) = idea_hour_warnings(config, datetime(2026, 11, 23, tzinfo=UTC))
    assert warning.startswith("idea_hours[0].starts: 2020-01-01 19:00 is in the past")
    assert idea_hour_warnings(make_config(idea_hours=[HOUR]), datetime(2026, 11, 23, tzinfo=UTC)) == []


def test_the_hour_becomes_one_scheduled_job_per_post() -> None:
    jobs = {job.id: job for job in build_jobs(make_config(idea_hours=[HOUR])) if job.id.startswith("hour:")}
    fires = {job_id: job.trigger.next_fires(datetime(2026, 11, 23, tzinfo=UTC), 2) for job_id, job in jobs.items()}
    assert {job_id: [f"{f:%d %H:%M}" for f in times] for job_id, times in fires.items()} == {
        "hour:handovers-hour:remind:1d": ["02 19:00"], "hour:handovers-hour:remind:15m": ["03 18:45"],
        "hour:handovers-hour:start": ["03 19:00"], "hour:handovers-hour:q2": ["03 19:15"],
        "hour:handovers-hour:q3": ["03 19:30"], "hour:handovers-hour:end": ["03 19:45"]}
