"""Logging set-up for `crowdbot run`: plain text for people, or one JSON object per line for log pipelines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Structured fields our own log calls pass with `extra=`: identifiers and figures only, never user text.
EVENT_FIELDS = ("platform", "kind", "outcome", "duration_ms", "idea", "job")
# Libraries that log SQL parameters or request and response bodies at DEBUG, which would put ideas, comments and
# anonymous authors in the log: they stay at WARNING or above whatever --log-level says.
PAYLOAD_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy", "slack_bolt", "slack_sdk", "adapters.slack.bolt",
                   "botbuilder", "botframework", "msrest", "msal", "urllib3")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EVENT_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, log_format: str, stream: TextIO | None = None) -> None:
    """`log_format` is "text" or "json" (ValueError otherwise); `stream` defaults to standard error."""
    if log_format not in ("text", "json"):
        raise ValueError(f"--log-format must be text or json, not {log_format!r}")
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"--log-level must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=numeric, handlers=[handler], force=True)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
