"""The `crowdbot` command line."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from aiohttp import web

from bot.app import create_app, enabled_platforms, platform_traits
from bot.clock import StartedClock, clock_from_environment, utc_now
from bot.config import AppConfig, ConfigError, default_config_path, idea_hour_warnings, load_config
from bot.context import Core
from bot.errors import UserError
from bot.hosting import StartupError
from bot.logs import configure_logging
from bot.workers import check_worker_count, supervise
from storage import schema
from storage.database import Database

# Plain help (no rich panels): rich help labels every flag "<bool>", as if --preview took a value.
cli = typer.Typer(help="Crowdbot: crowdsourcing campaigns in Slack and Microsoft Teams.", no_args_is_help=True,
                  rich_markup_mode=None)
db_cli = typer.Typer(help="Database schema: upgrade, downgrade, current revision.", no_args_is_help=True,
                     rich_markup_mode=None)
cli.add_typer(db_cli, name="db")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="app.yaml (default: $CROWDBOT_CONFIG or ./app.yaml)")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def read_config(path: Path | None) -> AppConfig:
    try:
        return load_config(path or default_config_path())
    except ConfigError as error:
        raise fail(f"Configuration error in {path or default_config_path()}:\n{error}", 2) from None


async def with_core(config: AppConfig, work):
    """Runs `work(core)` against the configured database, after checking the schema is current."""
    db = Database(config.storage.url)
    try:
        await schema.ensure_current(db.engine)
        platforms = enabled_platforms(config, "127.0.0.1")
        return await work(Core(config, db, platforms=platforms, clock=clock_from_environment(),
                               traits=platform_traits(platforms)))
    finally:
        await db.dispose()


def run_with_core(config: AppConfig, work):
    try:
        return asyncio.run(with_core(config, work))
    except schema.SchemaOutOfDate as error:
        raise fail(str(error)) from None
    except UserError as error:
        raise fail(error.message) from None


@cli.command("check-config")
def check_config(path: Annotated[Path | None, typer.Argument(help="the file to check")] = None,
                 config: ConfigOption = None) -> None:
    """Validates app.yaml: exit 0 when valid, 2 with the key path and the problem otherwise."""
    from bot.adapter_plan import adapter_plan

    target = path or config
    loaded = read_config(target)
    for warning in idea_hour_warnings(loaded, clock_from_environment()()):  # CROWDBOT_CLOCK_START, else now
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"{target or default_config_path()}: OK ({loaded.campaign.name}: {len(loaded.challenges)} challenges)")
    typer.echo("crowdbot run would start:")
    for decision in adapter_plan(loaded):
        typer.echo(f"  {decision.line()}")


@cli.command()
def run(config: ConfigOption = None,
        host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="port to listen on")] = 3978,
        log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING")] = "INFO",
        log_format: Annotated[str, typer.Option(envvar="CROWDBOT_LOG_FORMAT",
                                                help="text, or json: one object per line")] = "text",
        access_log: Annotated[bool, typer.Option(
            "--access-log/--no-access-log", envvar="CROWDBOT_ACCESS_LOG",
            help="log a line per HTTP request (off by default: under load it cost several percent of the CPU, "
                 "and the metrics count requests anyway)")] = False,
        workers: Annotated[int, typer.Option(
            envvar="CROWDBOT_WORKERS",
            help="server processes sharing the port, each a full replica (PostgreSQL only; SQLite has one "
                 "writer). A worker that dies stops the others and the command exits non-zero")] = 1,
        clock_start: Annotated[datetime | None, typer.Option(
            envvar="CROWDBOT_CLOCK_START", formats=["%Y-%m-%dT%H:%M:%S%z"],
            help="rehearsals and tests: the campaign clock starts at this instant (e.g. 2026-11-22T12:00:00+0000) "
                 "and ticks from there; jobs then run only when missed at start or fired by hand")] = None) -> None:
    """Runs the bot: the HTTP server, the adapters, the outbox dispatcher and the scheduler."""
    try:
        configure_logging(log_level, log_format)
    except ValueError as error:
        raise fail(str(error)) from None
    from bot.adapter_plan import adapter_plan

    loaded = read_config(config)
    try:
        check_worker_count(workers, loaded.storage.url)
    except StartupError as error:
        raise fail(str(error), 2) from None
    clock = StartedClock(clock_start) if clock_start else None  # None: the real clock, and APScheduler's timer
    for warning in idea_hour_warnings(loaded, (clock or utc_now)()):  # a rehearsal's own time, not today
        logging.getLogger(__name__).warning("%s", warning)
    for decision in adapter_plan(loaded, host):
        logging.getLogger("crowdbot.run").info("adapter %s", decision.line())

    def serve() -> None:
        try:
            app = create_app(loaded, host=host, clock=clock)
            web.run_app(app, host=host, port=port, reuse_port=workers > 1,
                        access_log=logging.getLogger("aiohttp.access") if access_log else None,
                        print=lambda _: typer.echo(f"crowdbot listening on http://{host}:{port}/"
                                                   + (f" (worker pid {os.getpid()})" if workers > 1 else "")))
        except (StartupError, schema.SchemaOutOfDate) as error:
            stop = fail(str(error))
            if workers > 1:  # a worker process: no click runner around it to turn Exit into an exit code
                sys.exit(stop.exit_code)
            raise stop from None

    if workers == 1:
        serve()
        return
    code = supervise(workers, serve)
    if code:
        raise typer.Exit(code)


@cli.command()
def doctor(config: ConfigOption = None) -> None:
    """Every channel and person app.yaml names: can the bot reach it now, and what to do if not.
    Exits 1 when something cannot be reached."""
    from bot.doctor import CANNOT_REACH, diagnose

    async def work(core: Core) -> list[str]:
        async with core.db.transaction() as session:
            return [reach.line() for reach in await diagnose(core.config, core.platforms, session)]

    lines = run_with_core(read_config(config), work)
    for line in lines:
        typer.echo(line)
    if any(f"reachable: {CANNOT_REACH}." in line for line in lines):
        raise typer.Exit(1)


@db_cli.command("upgrade")
def db_upgrade(config: ConfigOption = None,
               revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Applies the migrations up to REVISION (default: the newest)."""
    loaded = read_config(config)
    schema.upgrade(loaded.storage.url, revision)
    typer.echo(f"Database upgraded to {revision}.")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="e.g. -1 or base")], config: ConfigOption = None) -> None:
    """Reverts migrations down to REVISION."""
    loaded = read_config(config)
    schema.downgrade(loaded.storage.url, revision)
    typer.echo(f"Database downgraded to {revision}.")


@db_cli.command("current")
def db_current(config: ConfigOption = None) -> None:
    """Shows the database's schema revision and whether it is the newest."""
    loaded = read_config(config)

    async def revision() -> str | None:
        db = Database(loaded.storage.url)
        try:
            return await schema.current_revision(db.engine)
        finally:
            await db.dispose()

    current, head = asyncio.run(revision()), schema.head_revision()
    if current is None:
        typer.echo(f"No schema yet (newest revision: {head}); run `crowdbot db upgrade`.")
    elif current == head:
        typer.echo(f"{current} (newest)")
    else:
        typer.echo(f"{current} (newest is {head}; run `crowdbot db upgrade`)")


@cli.command()
def stats(config: ConfigOption = None) -> None:
    """Prints the campaign's figures."""
    from bot.services.stats import stats_reply

    async def work(core: Core) -> str:
        async with core.db.transaction() as session:
            return (await stats_reply(core, session)).text

    typer.echo(run_with_core(read_config(config), work))


@cli.command("import")
def import_csv(csv_file: Annotated[Path, typer.Argument(help="CSV with columns challenge, text, author, anonymous")],
               config: ConfigOption = None) -> None:
    """Imports ideas gathered offline. Every row is checked first: all rows are imported or none."""
    from bot.imports import import_ideas, parse_csv

    try:
        content = csv_file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise fail(f"Cannot read {csv_file}: {error.strerror}") from None

    async def work(core: Core) -> int:
        return await import_ideas(core, parse_csv(core, content))

    count = run_with_core(read_config(config), work)
    typer.echo(f"Imported {count} ideas.")


@cli.command()
def export(config: ConfigOption = None,
           format: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or polis")] = "csv",
           output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: stdout for csv)")] = None,
           force: Annotated[bool, typer.Option("--force", help="polis: replace the four files in a folder that "
                                                               "is not empty")] = False,
           ) -> None:
    """Exports one row per idea (anonymous authors left blank), or Polis's four CSV files (--format polis -o DIR)."""
    from bot.exports import idea_pages, write_csv, write_xlsx

    if format == "polis":
        export_polis(read_config(config), output, force=force)
        return
    if format not in ("csv", "xlsx"):
        raise fail(f"--format must be csv, xlsx or polis, not {format!r}", 2)
    if format == "xlsx" and output is None:
        raise fail("--format xlsx needs --output FILE.xlsx", 2)
    # Written beside the target and renamed at the end, so a failed export never leaves a half file behind.
    partial = output.with_name(output.name + ".partial") if output is not None else None

    async def work(core: Core) -> int:
        async with core.db.snapshot() as session:
            pages = idea_pages(core, session)
            if partial is None:
                return await write_csv(pages, sys.stdout)
            if format == "xlsx":
                with partial.open("wb") as target:
                    return await write_xlsx(pages, target)
            with partial.open("w", encoding="utf-8", newline="") as out:
                return await write_csv(pages, out)

    try:
        run_with_core(read_config(config), work)
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if partial is not None and output is not None:
        partial.replace(output)


@cli.command()
def similar(text: Annotated[str, typer.Argument(help="the idea text to look up")],
            config: ConfigOption = None,
            challenge: Annotated[str | None, typer.Option(help="only this challenge's ideas")] = None,
            limit: Annotated[int, typer.Option(help="how many matches")] = 5,
            format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text") -> None:
    """The existing ideas most like TEXT, with their similarity scores (0 to 1)."""
    from bot.similarity.lookup import as_json, as_text, similar_ideas

    if format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {format!r}", 2)
    loaded = read_config(config)

    async def work(core: Core) -> str:
        matches = await similar_ideas(core, text, challenge_key=challenge, limit=limit)
        return as_json(matches) if format == "json" else as_text(matches, core.config.similarity.threshold)

    typer.echo(run_with_core(loaded, work))


def export_polis(config: AppConfig, folder: Path | None, *, force: bool = False) -> None:
    from bot.polis_export import polis_files

    if folder is None:
        raise fail("--format polis needs --output DIR (the folder for its four CSV files)", 2)
    if folder.exists() and not folder.is_dir():
        raise fail(f"{folder} exists and is not a folder", 2)
    if not force and folder.is_dir() and any(folder.iterdir()):
        raise fail(f"{folder} is not empty: choose a new or empty folder, or add --force to replace the four "
                   "Polis files in it", 2)

    async def work(core: Core):
        return await polis_files(core)

    files = run_with_core(config, work)
    try:
        written = files.write(folder, replace=force)
    except OSError as error:  # the files are written to a folder beside it first: nothing half-written is left
        where = f": {error.filename}" if error.filename else ""
        raise fail(f"Could not write the Polis export to {folder}: {error.strerror or error}{where}") from None
    typer.echo("Wrote " + ", ".join(str(path) for path in written))


themes_cli = typer.Typer(help="Theme suggestions for community managers.", no_args_is_help=True)
cli.add_typer(themes_cli, name="themes")


@themes_cli.command("suggest")
def themes_suggest(challenge: Annotated[str, typer.Option(help="the challenge's key")],
                   config: ConfigOption = None,
                   format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text") -> None:
    """Groups a challenge's ideas and proposes a theme per group (nothing is applied)."""
    from bot.themes.report import themes_as_json, themes_as_text, themes_for

    if format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {format!r}", 2)

    async def work(core: Core) -> str:
        found = await themes_for(core, challenge)
        return themes_as_json(found) if format == "json" else themes_as_text(found)

    typer.echo(run_with_core(read_config(config), work))


AppIdOption = Annotated[str | None, typer.Option("--app-id", help="default: teams.app_id in app.yaml")]
PackageOutput = Annotated[Path, typer.Option("--output", "-o", help="the zip to write")]


@cli.command("teams-package")
def teams_package(config: ConfigOption = None, app_id: AppIdOption = None,
                  output: PackageOutput = Path("crowdbot-teams.zip")) -> None:
    """Writes the Teams app package (manifest with the app id filled in, icons) for an admin to upload."""
    from adapters.teams.package import PackageError, write_package

    chosen = app_id or read_config(config).teams.app_id or ""
    try:
        written = write_package(chosen, output)
    except PackageError as error:
        raise fail(str(error), 2) from None
    typer.echo(f"Wrote {written}: upload it in Teams (Apps > Manage your apps > Upload an app).")


schedule_cli = typer.Typer(help="The scheduled prompts, digests and announcements.", no_args_is_help=True,
                           rich_markup_mode=None)
cli.add_typer(schedule_cli, name="schedule")


@schedule_cli.command("list")
def schedule_list(config: ConfigOption = None,
                  count: Annotated[int, typer.Option(help="how many fire times per job")] = 3) -> None:
    """Every scheduled job with its next fire times, in the campaign's local time."""
    from zoneinfo import ZoneInfo

    from scheduler.jobs import build_jobs, describe_jobs

    loaded = read_config(config)
    tz = ZoneInfo(loaded.campaign.timezone)
    for job in describe_jobs(build_jobs(loaded), now=clock_from_environment()(), tz=tz, count=count):
        times = ", ".join(f"{fire:%a %d %b %Y %H:%M %Z}" for fire in job.next_fire_times) or "no fire left"
        typer.echo(f"{job.id}: {job.description}\n    next: {times}")


@cli.command()
def digest(config: ConfigOption = None,
           preview: Annotated[bool, typer.Option("--preview", help="print the leaders' digest; send nothing")] = False,
           ) -> None:
    """Prints the leaders' "you said, we did" digest as text (--preview); sending is the scheduler's job."""
    from bot.announcements import preview_digest

    if not preview:
        raise fail("Only --preview is supported here: digests are sent by 'crowdbot run' on schedule, "
                   "or with '/idea digest' in chat.", 2)

    async def work(core: Core) -> str:
        async with core.db.transaction() as session:
            return (await preview_digest(core, session)).text

    typer.echo(run_with_core(read_config(config), work))


hour_cli = typer.Typer(help="Idea hours: the transcript and figures of an hour.", no_args_is_help=True)
cli.add_typer(hour_cli, name="hour")


@hour_cli.command("report")
def hour_report(key: Annotated[str, typer.Argument(help="the hour's key in app.yaml (idea_hours)")],
                config: ConfigOption = None,
                format: Annotated[str, typer.Option("--format", "-f", help="markdown or csv")] = "markdown",
                output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: stdout)")] = None,
                ) -> None:
    """The hour's transcript grouped by question (answer, who, when, agreements, idea), with its figures."""
    from bot.hour.report import build_report, to_csv, to_markdown

    if format not in ("markdown", "csv"):
        raise fail(f"--format must be markdown or csv, not {format!r}", 2)

    async def work(core: Core) -> str:
        async with core.db.transaction() as session:
            report = await build_report(core, session, key)
        return to_markdown(report) if format == "markdown" else to_csv(report)

    text = run_with_core(read_config(config), work)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def main() -> None:
    cli()


def _register_more_commands() -> None:
    """Command groups that live in their own modules and need the helpers above, so they are added last."""
    from bot.cli_governance import register as register_governance
    from bot.fika.cli import fika_cli, people_cli

    cli.add_typer(people_cli, name="people")
    cli.add_typer(fika_cli, name="fika")
    register_governance(cli, people_cli)


_register_more_commands()
