"""`crowdbot people import` and `crowdbot fika round|report`: registered on the main command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.context import Core

people_cli = typer.Typer(help="The people list: names and attributes (team, site, profession).",
                         no_args_is_help=True)
fika_cli = typer.Typer(help="Randomised fika: rounds and the trial's report.", no_args_is_help=True)
ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="app.yaml (default: $CROWDBOT_CONFIG "
                                                                         "or ./app.yaml)")]


@people_cli.command("import")
def import_people(csv_file: Annotated[Path, typer.Argument(help="CSV: person, name, team, site, profession "
                                                                 "(and optionally email)")],
                  config: ConfigOption = None) -> None:
    """Imports or updates people. Every row is checked first: all rows are imported or none."""
    from bot.cli import fail, read_config, run_with_core
    from bot.fika.people import import_people as store
    from bot.fika.people import parse_people

    try:
        content = csv_file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise fail(f"Cannot read {csv_file}: {error.strerror}") from None

    async def work(core: Core) -> int:
        return await store(core, parse_people(content))

    typer.echo(f"Imported {run_with_core(read_config(config), work)} people.")


@fika_cli.command("round")
def fika_round(config: ConfigOption = None) -> None:
    """Draws a round now and queues its messages (the running bot delivers them)."""
    from bot.cli import read_config, run_with_core
    from bot.fika.rounds import run_round

    async def work(core: Core) -> str:
        async with core.db.transaction() as session:
            return (await run_round(core, session, started_by="cli", at=core.now())).text

    typer.echo(run_with_core(read_config(config), work))


@fika_cli.command("report")
def fika_report(config: ConfigOption = None) -> None:
    """Rounds, people paired, groups that met, ideas from fika, and participation of fika against others."""
    from bot.cli import read_config, run_with_core
    from bot.fika.report import fika_report as report

    async def work(core: Core) -> str:
        async with core.db.transaction() as session:
            return (await report(session)).text

    typer.echo(run_with_core(read_config(config), work))
