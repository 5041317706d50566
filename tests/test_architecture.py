"""The dependency rule from STYLE.md, checked by scanning imports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
COMPOSITION_ROOTS = {"bot/app.py", "bot/cli.py"}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["bot", "storage", "scheduler", "adapters"])
def test_dependency_rule(package: str) -> None:
    for path in modules(package):
        relative = str(path.relative_to(ROOT))
        roots = {name.split(".")[0] for name in imports_of(path)}
        if package in ("bot", "storage") and relative not in COMPOSITION_ROOTS:
            assert not roots & {"adapters", "scheduler"}, relative
        if package == "storage":
            assert "bot" not in roots, relative
        sdk = {"slack_bolt", "slack_sdk", "botbuilder", "botframework"} & roots
        if sdk:
            expected = "adapters/slack/" if sdk <= {"slack_bolt", "slack_sdk"} else "adapters/teams/"
            assert relative.startswith(expected), f"{relative} imports {sdk}"


def test_adapters_hold_no_back_pointer_to_the_composition_root() -> None:
    """An adapter gets its settings, a dispatch callable and the ports it needs; it never imports bot.app (the
    runtime that imports the adapters), so there is no cycle and no way to reach the whole bot from the edge."""
    offenders = [str(path.relative_to(ROOT)) for path in modules("adapters")
                 if {"bot.app", "bot.cli"} & imports_of(path)]
    assert offenders == []


def test_only_the_reference_store_reads_conversation_references_in_the_core() -> None:
    """Teams posts with stored conversation references; its messenger looks them up through the reference-store
    port, so the outbox and every other platform's path never do. (The doctor reports reachability.)"""
    allowed = {"bot/references.py", "bot/doctor.py"}
    readers = [str(path.relative_to(ROOT)) for path in modules("bot") + modules("scheduler")
               if "get_reference(" in path.read_text() or "references_for(" in path.read_text()]
    assert sorted(set(readers) - allowed) == []


def test_the_core_names_no_platform_outside_configuration_composition_and_diagnostics() -> None:
    """Command words, a room per challenge, platform names and fika's group chats are declared by each adapter
    (bot/platform.py) and handed over by the composition root; no core module special-cases a platform by name."""
    allowed = {"bot/app.py", "bot/cli.py", "bot/config.py", "bot/adapter_plan.py", "bot/doctor.py"}
    names = {"slack", "teams", "playground"}
    offenders = sorted(
        f"{path.relative_to(ROOT)}:{node.lineno}" for path in modules("bot")
        if str(path.relative_to(ROOT)) not in allowed
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in names)
    assert offenders == []
