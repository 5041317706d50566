"""Cron in Europe/London wall-clock time across the clock changes (last Sundays of March and October 2026)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.trigger import WallClockCron

LONDON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_0930_prompt_is_0930_local_in_winter_and_summer() -> None:
    trigger = WallClockCron.from_crontab("30 9 * * *", LONDON)
    fires = trigger.next_fires(utc(2026, 3, 27, 12), 3)  # Sat 28 (GMT), Sun 29 (the change), Mon 30 (BST)
    assert [fire.astimezone(UTC) for fire in fires] == [utc(2026, 3, 28, 9, 30), utc(2026, 3, 29, 8, 30),
                                                        utc(2026, 3, 30, 8, 30)]
    assert {(fire.hour, fire.minute) for fire in fires} == {(9, 30)}
    autumn = trigger.next_fires(utc(2026, 10, 24, 12), 2)  # Sun 25 October: back to GMT
    assert [fire.astimezone(UTC) for fire in autumn] == [utc(2026, 10, 25, 9, 30), utc(2026, 10, 26, 9, 30)]


def test_a_job_in_the_repeated_autumn_hour_fires_once() -> None:
    trigger = WallClockCron.from_crontab("30 1 * * *", LONDON)
    fires = [fire.astimezone(UTC) for fire in trigger.next_fires(utc(2026, 10, 24, 12), 3)]
    assert fires == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30), utc(2026, 10, 27, 1, 30)]


def test_a_job_in_the_skipped_spring_hour_still_fires_that_day() -> None:
    trigger = WallClockCron.from_crontab("30 1 * * *", LONDON)
    fires = [fire.astimezone(UTC) for fire in trigger.next_fires(utc(2026, 3, 28, 12), 2)]
    assert fires[0].date() == utc(2026, 3, 29).date()
    assert fires[1] == utc(2026, 3, 30, 0, 30)


def test_previous_fire_looks_back_across_weeks_and_to_a_single_date() -> None:
    weekly = WallClockCron.from_crontab("0 16 * * fri", LONDON)
    assert weekly.previous_fire(utc(2026, 11, 23, 10)) == utc(2026, 11, 20, 16)
    assert weekly.previous_fire(utc(2026, 11, 20, 16)) == utc(2026, 11, 20, 16)
    once = WallClockCron.on_date(2026, 6, 1, 9, LONDON)
    assert once.previous_fire(utc(2026, 5, 31)) is None
    assert once.previous_fire(utc(2026, 6, 1, 8) + timedelta(minutes=1)) == utc(2026, 6, 1, 8)
    assert once.next_fires(utc(2026, 6, 2), 3) == []
