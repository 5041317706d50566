"""Keeps the dashboard token out of the access log: aiohttp logs each request line and Referer, and the token
may travel in the address (?token=...), which the dashboard's own links repeat."""

from __future__ import annotations

import logging
import re
from typing import Any

ACCESS_LOGGER = "aiohttp.access"
TOKEN_IN_QUERY = re.compile(r"(?i)(\btoken=)[^&\s\"']*")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return TOKEN_IN_QUERY.sub(REDACTED, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    return value


class TokenRedaction(logging.Filter):
    """Rewrites an access-log record: its message and the structured fields aiohttp attaches (request line,
    headers) lose every `token=` value."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        for key in ("first_request_line", "request_header", "response_header"):
            if key in record.__dict__:
                record.__dict__[key] = _redact_value(record.__dict__[key])
        return True


def redact_access_log() -> None:
    """Installs the redaction once on aiohttp's access logger, whichever runner serves the app."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, TokenRedaction) for existing in access.filters):
        access.addFilter(TokenRedaction())
