"""The patient-data guard: NHS numbers and dates of birth beside names are neither stored nor posted; ordinary
messages with numbers pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.context import Core
from bot.errors import UserError
from bot.handler import Bot
from bot.imports import parse_csv
from bot.patient_data import find_patient_data, is_valid_nhs_number
from storage.models import Comment, Idea, OutboxMessage, StatusChange
from tests.core.test_votes import posted
from tests.factories import CM, make_config, reply_in_thread, say, text_of

ORDINARY = [line.strip() for line in (Path(__file__).parent / "data" / "ordinary_messages.txt").open()
            if line.strip()]
# Valid NHS numbers: the range reserved for test data (999...) and numbers used in NHS Digital's examples.
VALID_NHS_NUMBERS = ["9990000018", "9990000026", "9990000085", "9434765919", "4010232137"]
DATES_OF_BIRTH = ["DOB 12/03/1956 wants a side room", "date of birth: 3 March 1950, admitted Tuesday",
                  "Mrs Jane Smith 12/03/1956 fell twice", "Patient Brown (3 Mar 1950) waited 9 hours",
                  "born on 4th July 1960, on ward 6"]


async def count(core: Core, model) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


def test_the_check_digit_is_modulus_11() -> None:
    assert all(is_valid_nhs_number(number) for number in VALID_NHS_NUMBERS)
    # One digit changed, or a number whose check would be 10 (never issued), is not an NHS number.
    assert not is_valid_nhs_number("9990000019")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("1000000010")  # 10 x 1 = 10, remainder 10, check digit 1: but it ends in 0
    assert not is_valid_nhs_number("123456789")  # nine digits


@pytest.mark.parametrize("layout", ["{}", "{0}{1}{2} {3}{4}{5} {6}{7}{8}{9}", "{0}{1}{2}-{3}{4}{5}-{6}{7}{8}{9}"])
def test_nhs_numbers_are_found_however_they_are_grouped(layout: str) -> None:
    for number in VALID_NHS_NUMBERS:
        written = layout.format(number) if layout == "{}" else layout.format(*number)
        assert find_patient_data(f"Bed 4, {written}, needs a review") == "an NHS number", written


def test_dates_of_birth_beside_names_are_found() -> None:
    assert all(find_patient_data(text) == "a date of birth next to a name" for text in DATES_OF_BIRTH)


def test_a_hundred_ordinary_messages_with_numbers_pass() -> None:
    assert len(ORDINARY) == 100
    assert [text for text in ORDINARY if find_patient_data(text)] == []


async def test_an_idea_with_an_nhs_number_is_neither_stored_nor_posted(bot: Bot, core: Core) -> None:
    reply = await say(bot, "slack:U1", "Mr Jones 943 476 5919 waited six hours for a bed")

    assert "NHS number" in text_of(reply) and "incident" in text_of(reply)
    assert "5919" not in text_of(reply)  # what was found is named, never repeated
    assert await count(core, Idea) == 0
    assert await count(core, OutboxMessage) == 0


async def test_comments_and_decision_notes_are_guarded_too(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Quicker discharge letters")
    await posted(core, 1, "100.1")

    comment = await reply_in_thread(bot, "slack:U2", "100.1", "Like for Mrs Ada Lee, DOB 01/02/1940", "100.2")
    note = await say(bot, CM, "status #1 in_progress piloting with 9990000026 first")

    assert "date of birth" in text_of(comment)
    assert "NHS number" in text_of(note)
    assert await count(core, Comment) == 0
    assert await count(core, StatusChange) == 0


async def test_ordinary_ideas_with_numbers_are_stored(bot: Bot, core: Core) -> None:
    for text in ORDINARY[:10]:
        assert "is in" in text_of(await say(bot, "slack:U1", text))
    assert await count(core, Idea) == 10


async def test_the_guard_can_be_turned_off(core: Core) -> None:
    core.config = make_config(data_protection={"patient_data_guard": False})
    assert "is in" in text_of(await say(Bot(core), "slack:U1", "Template ref 9990000018 is confusing"))


def test_an_import_with_patient_data_is_refused_with_its_line(core: Core) -> None:
    csv = ("challenge,text,author,anonymous\n"
           "rotas,Fairer weekend rota,slack:U1,no\n"
           "rotas,Patient 9434765919 needs a side room,slack:U2,no\n")
    with pytest.raises(UserError, match="line 3: .*NHS number"):
        parse_csv(core, csv)
