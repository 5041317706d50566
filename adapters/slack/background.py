"""Work that happens after Slack has its acknowledgement: tracked so shutdown can let it finish."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.tracebacks import traceback_without_messages

logger = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(self._logged(work, name), name=f"slack-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait_idle(self, within_seconds: float = 10.0) -> None:
        """Waits for the work in flight (tests, shutdown); what is still running after `within_seconds` is cancelled."""
        while self._tasks:
            done, pending = await asyncio.wait(set(self._tasks), timeout=within_seconds)
            if pending:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                return

    @staticmethod
    async def _logged(work: Coroutine[Any, Any, Any], name: str) -> Any:
        try:
            return await work
        except Exception as error:
            logger.error("slack: %s failed after the acknowledgement\n%s", name, traceback_without_messages(error))
            return None
