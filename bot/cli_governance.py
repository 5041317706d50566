"""Governance commands of the CLI: `crowdbot audit`, `crowdbot data housekeeping` and `crowdbot people`."""

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.context import Core
from storage import audit
from storage.models import AuditEntry

AUDIT_COLUMNS = ("at", "actor", "action", "idea", "detail")


def audit_table(rows: list[AuditEntry], format: str) -> str:
    records = [(row.at.astimezone(UTC).isoformat(timespec="seconds") if row.at.tzinfo else
                row.at.replace(tzinfo=UTC).isoformat(timespec="seconds"), row.actor_ref, row.action,
                "" if row.idea_number is None else f"#{row.idea_number}", row.detail) for row in rows]
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(AUDIT_COLUMNS)
        writer.writerows(records)
        return out.getvalue()
    if not records:
        return "No audit entries.\n"
    return "".join("  ".join(part for part in record if part) + "\n" for record in records)


def register(cli: typer.Typer, people_cli: typer.Typer) -> None:
    """Adds the governance commands to the main CLI (kept apart so the CLI module stays small); `people forget`
    and `people export` join the `people` group."""
    from bot.cli import ConfigOption, fail, read_config, run_with_core

    data_cli = typer.Typer(help="Personal data housekeeping.", no_args_is_help=True)
    cli.add_typer(data_cli, name="data")

    @cli.command("audit")
    def audit_log(config: ConfigOption = None,
                  since: Annotated[datetime | None, typer.Option(help="only entries from this date (YYYY-MM-DD)",
                                                                 formats=["%Y-%m-%d"])] = None,
                  format: Annotated[str, typer.Option("--format", "-f", help="text or csv")] = "text") -> None:
        """Every manager and admin action: who, what, which idea, when (UTC)."""
        if format not in ("text", "csv"):
            raise fail(f"--format must be text or csv, not {format!r}", 2)
        start = since.replace(tzinfo=UTC) if since else None

        async def work(core: Core) -> list[AuditEntry]:
            async with core.db.transaction() as session:
                return await audit.entries(session, since=start)

        typer.echo(audit_table(run_with_core(read_config(config), work), format), nl=False)

    @data_cli.command("housekeeping")
    def data_housekeeping(config: ConfigOption = None) -> None:
        """Removes what is kept only for delivery (old event ids, delivered messages, chart images) and says what."""
        from bot.housekeeping import run_housekeeping

        typer.echo(run_with_core(read_config(config), run_housekeeping).summary())

    Person = Annotated[str, typer.Argument(help="the person as platform:id, e.g. slack:U0123")]

    def checked(person: str) -> str:
        platform, _, user = person.partition(":")
        if not platform or not user:
            raise fail(f"PERSON must be platform:id (e.g. slack:U0123), not {person!r}", 2)
        return person

    @people_cli.command("forget")
    def people_forget(person: Person, config: ConfigOption = None) -> None:
        """Erases a person: votes removed (counts stay exact), ideas and comments unlinked or deleted per
        data_protection.erasure, every other row about them deleted. Safe to run twice."""
        from bot.erasure import forget_person

        ref = checked(person)

        async def work(core: Core) -> str:
            async with core.db.transaction() as session:
                report = await forget_person(core, session, ref, requested_by="cli")
            return report.summary()

        typer.echo(run_with_core(read_config(config), work))

    @people_cli.command("export")
    def people_export(person: Person, output: Annotated[Path, typer.Option("--output", "-o", help="the JSON file")],
                      config: ConfigOption = None) -> None:
        """Everything stored about a person (anonymous ideas included), as JSON: a subject access request."""
        from bot.subject_access import subject_access_document

        ref = checked(person)

        async def work(core: Core) -> dict[str, object]:
            async with core.db.transaction() as session:
                document = await subject_access_document(session, ref=ref, now=core.now())
                await audit.record(session, actor_ref="cli", action="subject access export",
                                   detail="", now=core.now())
            return document

        document = run_with_core(read_config(config), work)
        output.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        typer.echo(f"Wrote everything stored about {ref} to {output}.")

    del audit_log, data_housekeeping, people_forget, people_export
