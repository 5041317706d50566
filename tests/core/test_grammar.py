import pytest

from bot import grammar as g


@pytest.mark.parametrize(("text", "expected"), [
    ("", g.OpenForm()),
    ("help", g.Help()),
    ("Better rota swaps", g.Submit("Better rota swaps")),
    ("anon Less paperwork", g.Submit("Less paperwork", anonymous=True)),
    ("top", g.Top()),
    ("top wellbeing", g.Top("wellbeing")),
    ("mine", g.Mine()),
    ("stats", g.Stats()),
    ("show #42", g.Show(42)),
    ("show 42", g.Show(42)),
    ("vote #3", g.CastVote(3)),
    ("unvote #3", g.CastVote(3, remove=True)),
    ("status #4 done Rolled out in May", g.SetStatus(4, "done", "Rolled out in May")),
    ("status #4 under-review", g.SetStatus(4, "under_review", "")),
    ("horizon #4 h1", g.SetHorizon(4, "H1")),
    ("theme #4 Rostering", g.ChangeTheme(4, "Rostering")),
    ("theme #4 -rostering", g.ChangeTheme(4, "rostering", remove=True)),
    ("merge #5 into #4", g.Merge(5, 4)),
    ("unmerge #5", g.Unmerge(5)),
    ("notifications off", g.Notifications(False)),
    ("prompt", g.Prompt()),
    ("prompt wellbeing", g.Prompt("wellbeing")),
    ("digest", g.Digest()),
    ("digest preview", g.Digest(preview=True)),
])
def test_parses_every_command(text: str, expected: g.Command) -> None:
    assert g.parse(text) == expected


@pytest.mark.parametrize("text", ["show", "show 12 13", "status #4", "horizon #4 H9", "merge #5", "vote 16 please"])
def test_malformed_commands_explain_their_usage(text: str) -> None:
    parsed = g.parse(text)
    assert isinstance(parsed, g.Help)
    assert parsed.problem and "Usage" in parsed.problem


def test_unknown_status_lists_the_valid_ones() -> None:
    parsed = g.parse("status #4 finished")
    assert isinstance(parsed, g.Help)
    assert "not_taken_forward" in (parsed.problem or "")


@pytest.mark.parametrize("text", [
    "stats please", "mine <@U123>", "top up the hand gel in every ward", "prompt replies from managers",
    "help new starters find their way", "show abc", "notifications maybe", "theme park trips for staff",
    "vote 16-year-olds onto the council", "digest of the week's news",
])
def test_a_command_word_with_arguments_that_do_not_fit_may_be_an_idea(text: str) -> None:
    assert g.parse(text) == g.MaybeIdea(text.split()[0].lower(), text)


@pytest.mark.parametrize(("text", "expected"), [
    ("new stats please", g.Submit("stats please")),
    ("anon mine too", g.Submit("mine too", anonymous=True)),
    ("help status", g.Help("status")),
    ("Top-up the hand gel", g.Submit("Top-up the hand gel")),
])
def test_new_and_anon_are_always_ideas_and_help_takes_a_command_name(text: str, expected: g.Command) -> None:
    assert g.parse(text) == expected
