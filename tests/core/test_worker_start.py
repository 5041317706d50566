"""A worker of `crowdbot run --workers N` stopped before its server is up (the parent stopped right after
starting them) leaves with exit code 0, so the parent does not report a failure for a clean stop."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from bot.workers import _worker


def test_a_worker_stopped_while_starting_exits_cleanly() -> None:
    context = multiprocessing.get_context("fork")
    starting = context.Event()

    def slow_start() -> None:  # a server still loading its configuration and connecting
        starting.set()
        time.sleep(60)

    worker = context.Process(target=_worker, args=(slow_start, os.getpid()))
    worker.start()
    try:
        assert starting.wait(30)
        os.kill(worker.pid, signal.SIGTERM)  # type: ignore[arg-type]
        worker.join(30)
        assert worker.exitcode == 0
    finally:
        if worker.is_alive():
            worker.kill()
