"""Any text typed after /idea gets an answer, never an exception; invalid input changes nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import grammar
from bot.context import Core
from bot.handler import Bot
from storage.models import Idea
from tests.factories import CM, say

KEYWORDS = ["help", "anon", "top", "mine", "stats", "show", "vote", "unvote", "status", "horizon", "theme",
            "merge", "unmerge", "notifications", "prompt", "digest", "#", "into", "H1", "done"]
command_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(KEYWORDS), st.text(max_size=12),
                       st.integers(-5, 10**12).map(str)), max_size=6).map(" ".join),
)


@given(command_text)
def test_parse_always_returns_a_command(text: str) -> None:
    assert isinstance(grammar.parse(text), grammar.Help | grammar.Submit | grammar.OpenForm | grammar.Top
                      | grammar.Mine | grammar.Stats | grammar.Show | grammar.CastVote | grammar.SetStatus
                      | grammar.SetHorizon | grammar.ChangeTheme | grammar.Merge | grammar.Unmerge
                      | grammar.Notifications | grammar.Prompt | grammar.Digest | grammar.MaybeIdea)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=command_text, manager=st.booleans())
async def test_any_command_gets_an_answer(bot: Bot, core: Core, text: str, manager: bool) -> None:
    async with core.db.transaction() as session:
        before = (await session.execute(select(func.count()).select_from(Idea))).scalar_one()
    reply = await say(bot, CM if manager else "slack:UFUZZ", text)
    assert reply.messages and all(message.text for message in reply.messages)
    async with core.db.transaction() as session:
        after = (await session.execute(select(func.count()).select_from(Idea))).scalar_one()
    if not reply.messages[0].text.startswith("Thanks, your idea"):
        assert after == before  # anything but an accepted idea stores no idea
