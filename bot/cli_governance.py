"""Governance commands of the CLI: `crowdbot audit` and `crowdbot data housekeeping`."""

import csv
import io
from datetime import UTC, datetime
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


def register(cli: typer.Typer) -> None:
    """Adds the governance commands to the main CLI (kept apart so the CLI module stays small)."""
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

    del audit_log, data_housekeeping
