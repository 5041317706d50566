"""`/idea themes suggest [challenge]` and applying a suggestion (a button, or `themes apply S [name] [-#N]`):
managers only, and nothing is themed until a manager applies it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import shorten
from bot.context import Core
from bot.errors import UserError
from bot.events import Address
from bot.grammar import Merge
from bot.message import Message, MessageAction, Section
from bot.roles import MANAGERS
from bot.services import ideas, moderation
from bot.services.sensemaking_board import DuplicatesBoard, ThemesBoard, duplicates_for, themes_for
from bot.themes.apply import theme_ideas
from storage import suggested_themes

APPLY_ACTION = "theme_apply"  # + "_<position>"
MERGE_ACTION = "duplicate_merge"  # + "_<position>", value "<duplicate>:<survivor>"
SHOWN_IDEAS = 3
# Key terms are single words of what people wrote, which may be thousands of characters long: each is cut, and
# the list too, so a suggestion's heading stays a heading. Twelve suggestions (the most), each with three idea
# excerpts, then stay under 28 KB as a Teams activity (tests/teams/test_themes.py).
TERM_LIMIT = 30
TERMS_LIMIT = 80
HEADING_LIMIT = 200  # a guard: S and nine digits, a 60-letter theme and the terms come to about 185
EXCERPT_LIMIT = 100
NUMBER_DIGITS = 9  # as the merge and compare buttons: a longer number is no row's, and int() would crash on it
_APPLY = re.compile(r"^[sS#]?(\d{1,9})(?:\s+(.*?))?((?:\s+-#?\d{1,9})*)$", re.S)


def is_apply(action: str) -> bool:
    return action.startswith(APPLY_ACTION + "_")


async def run_themes(core: Core, session: AsyncSession, ref: str, action: str, rest: str, address: Address,
                     board: ThemesBoard | None = None) -> Message:
    """`board`: the suggestions, computed before this transaction (bot/prepared.py); else computed here."""
    if action == "suggest":
        core.require(ref, MANAGERS, "see theme suggestions")
        challenge = ideas.resolve_challenge(core, rest or None, platform=address.platform,
                                            conversation=address.conversation)
        if board is None or board.challenge.key != challenge.key:
            board = await themes_for(core, challenge)
        return await _suggest(core, session, ref, board)
    match = _APPLY.match(rest)
    if match is None:
        raise UserError("Usage: `themes apply S [other name] [-#N ...]`, S being the suggestion's number.")
    drop = {int(n) for n in re.findall(r"\d+", match.group(3) or "")}
    return await apply_suggestion(core, session, ref, match.group(1), name=match.group(2) or None, drop=drop)


async def _suggest(core: Core, session: AsyncSession, ref: str, board: ThemesBoard) -> Message:
    key, title, found, by_number = board.challenge.key, board.challenge.title, board.suggestions, board.texts
    if not found:
        return Message(text=f"{title} has too few ideas to group yet.")
    sections, actions = [], []
    for position, suggestion in enumerate(found):
        row = await suggested_themes.save(session, challenge_key=key, theme=suggestion.theme,
                                          numbers=suggestion.ideas, suggested_to=ref, now=core.now())
        lines = tuple(f"#{n} {shorten(by_number[n], EXCERPT_LIMIT)}" for n in suggestion.representative)
        heading = shorten(f"S{row.id}: {suggestion.theme} ({len(suggestion.ideas)} ideas; key terms: "
                          f"{key_terms(suggestion.terms)})", HEADING_LIMIT)
        sections.append(Section(heading, lines))
        actions.append(MessageAction(f"Apply {shorten(suggestion.theme, 40)}", f"{APPLY_ACTION}_{position}",
                                     str(row.id)))
    hint = ("Apply gives the theme to every idea of the group. To rename it or leave ideas out first: "
            "`themes apply S<number> <other name> -#N -#M`.")
    text = "\n".join([f"Suggested themes: {title}", *(f"{s.heading}\n" + "\n".join(s.lines) for s in sections),
                      hint])
    return Message(text=text, title=f"Suggested themes: {title}", sections=tuple(sections),
                   actions=tuple(actions), context=hint)


async def apply_suggestion(core: Core, session: AsyncSession, ref: str, value: str, *, name: str | None = None,
                           drop: set[int] | None = None) -> Message:
    core.require(ref, MANAGERS, "theme ideas")
    digits = value[1:] if value[:1] in ("S", "s") else value
    if not (digits.isascii() and digits.isdigit() and len(digits) <= NUMBER_DIGITS):  # "²" is a digit to Python
        raise UserError(f"{shorten(value, 20)!r} is not a theme suggestion's number (S and up to "
                        f"{NUMBER_DIGITS} digits). Run `themes suggest` again.")
    row = await suggested_themes.get(session, suggestion_id=int(digits))
    if row is None:
        raise UserError(f"There is no theme suggestion {value!r}. Run `themes suggest` again.")
    if row.applied_at is not None:
        return Message(text=f"Suggestion S{row.id} ({row.theme!r}) was already applied. Nothing else changed.")
    theme = moderation.normalise_theme(name or row.theme)
    numbers = [int(n) for n in row.idea_numbers.split(",") if n and int(n) not in (drop or set())]
    themed = await theme_ideas(core, session, numbers=numbers, challenge_key=row.challenge_key, theme=theme,
                               by_ref=ref)
    if not await suggested_themes.mark_applied(session, suggestion_id=row.id, now=core.now()):  # type: ignore[arg-type]
        raise UserError("That suggestion was applied a moment ago. Nothing else changed.")
    listed = " ".join(f"#{n}" for n in themed[:30]) + (" ..." if len(themed) > 30 else "")
    return Message(text=f"Theme {theme!r} is now on {len(themed)} idea(s): {listed or 'none new'}.")


def key_terms(terms: Sequence[str]) -> str:
    """The terms, each cut to TERM_LIMIT, as many whole as fit in TERMS_LIMIT; "…" says some were left out."""
    shown: list[str] = []
    for term in (shorten(term, TERM_LIMIT) for term in terms):
        if len(", ".join([*shown, term])) > TERMS_LIMIT:
            return ", ".join([*shown, "…"])
        shown.append(term)
    return ", ".join(shown)


def merge_command(action: str, value: str) -> Merge | None:
    if not action.startswith(MERGE_ACTION + "_"):
        return None
    duplicate, _, survivor = value.partition(":")
    # Never cut to nine digits: "0000000011" would become #1, another idea.
    if not all(part.isascii() and part.isdigit() and len(part) <= NUMBER_DIGITS for part in (duplicate, survivor)):
        raise UserError("That merge button does not name two ideas. Nothing was merged: run `duplicates` again.")
    return Merge(int(duplicate), int(survivor))


async def duplicates_message(core: Core, session: AsyncSession, key: str | None, address: Address,
                             board: DuplicatesBoard | None = None) -> Message:
    """`board`: the pairs, computed before this transaction (bot/prepared.py); else computed here."""
    challenge = ideas.resolve_challenge(core, key, platform=address.platform, conversation=address.conversation)
    if board is None or board.challenge.key != challenge.key:
        board = await duplicates_for(core, challenge)
    pairs, by_number = board.pairs, board.texts
    title = f"Probable duplicates: {challenge.title}"
    if not pairs:
        return Message(text=f"{title}\nNo pairs look alike.", title=title, body="No pairs look alike.")
    sections = tuple(Section(f"#{p.duplicate} and #{p.survivor} (similarity {p.score:.2f})",
                             (f"#{p.survivor} {shorten(by_number[p.survivor], 140)}",
                              f"#{p.duplicate} {shorten(by_number[p.duplicate], 140)}")) for p in pairs)
    actions = tuple(MessageAction(f"Merge #{p.duplicate} into #{p.survivor}", f"{MERGE_ACTION}_{i}",
                                  f"{p.duplicate}:{p.survivor}") for i, p in enumerate(pairs))
    hint = f"Merging counts votes once per person and `{core.command_word(address.platform)} unmerge #N` undoes it."
    text = "\n".join([title, *(f"{s.heading}: " + " / ".join(s.lines) for s in sections), hint])
    return Message(text=text, title=title, sections=sections, actions=actions, context=hint)
