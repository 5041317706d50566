"""What the Slack edge may write to the log: never a request or message body, never an exception's message.

slack-bolt and slack_sdk put whole bodies into their INFO and DEBUG lines (a failed signature check, every
Web API call and response, every Socket Mode frame, every acknowledgement), and those bodies carry ideas,
comments and who wrote them. Their loggers therefore pass only warnings and errors, whatever level the rest of
the bot logs at; bolt's own warnings name payload types and ids, not texts.
"""

from __future__ import annotations

import logging
import traceback

BOLT_LOGGER = "adapters.slack.bolt"  # bolt copies this logger's level to every logger it creates
SDK_LOGGER = "adapters.slack.sdk"
LIBRARY_LOGGERS = ("slack_bolt", "slack_sdk", BOLT_LOGGER, SDK_LOGGER)


def quiet_library_loggers() -> None:
    """Raises the Slack libraries' loggers to WARNING (children without a level of their own follow)."""
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def bolt_logger() -> logging.Logger:
    quiet_library_loggers()
    return logging.getLogger(BOLT_LOGGER)


def sdk_logger() -> logging.Logger:
    quiet_library_loggers()
    return logging.getLogger(SDK_LOGGER)


def failure(error: BaseException) -> str:
    """An exception as its types and where they were raised, without messages.

    A database error's message quotes its statement's parameters (an idea's text, its author), so a log line
    about a failure names only what failed and where.
    """
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 5:
        frames = traceback.extract_tb(current.__traceback__)
        where = " < ".join(f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" for frame in frames[-3:][::-1])
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}" + (f" at {where}" if where else ""))
        current = current.__cause__ or current.__context__
    return "; caused by ".join(parts)
