"""`crowdbot run --workers N`: N full replicas serving one port, supervised by the parent process.

Each worker is a whole bot (adapters, outbox, scheduler); scheduler claims and the outbox are exactly-once across
replicas on PostgreSQL, so the workers need no coordination beyond sharing the port (SO_REUSEPORT). The parent
only forwards a stop and watches: a worker that dies is reported with its exit code and the rest are stopped,
so the bot never serves silently with fewer workers than asked for.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import wait

from bot.hosting import StartupError

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def check_worker_count(count: int, database_url: str) -> None:
    """Raises StartupError unless `count` workers can share the configured database."""
    if count < 1:
        raise StartupError(f"--workers must be at least 1 (got {count}).")
    if count > 1 and database_url.startswith("sqlite"):
        raise StartupError(f"--workers {count} needs PostgreSQL: SQLite allows one writer at a time, so several "
                           "workers would only queue behind each other's writes. Run one worker on SQLite, or "
                           "set storage.url to a PostgreSQL database.")


def _stop_with_parent(parent: int) -> None:
    """On Linux the worker is sent SIGTERM when the parent dies, even by kill -9, so no orphan keeps serving."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the request above took effect
        sys.exit(1)


def _stopped_while_starting(_signum: int, _frame: object) -> None:
    """A stop that arrives before the server has installed its own handlers: nothing is served yet, so the
    worker leaves cleanly (exit code 0) rather than dying of the signal, which the parent would report as a
    failure."""
    raise SystemExit(0)


def _worker(serve: Callable[[], None], parent: int) -> None:
    # The parent's handlers only forward signals; the worker's server replaces these with its own graceful stop.
    signal.signal(signal.SIGTERM, _stopped_while_starting)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setpgid(0, 0)  # a terminal's Ctrl-C reaches the parent only, which then stops each worker once
    _stop_with_parent(parent)
    serve()


def supervise(count: int, serve: Callable[[], None]) -> int:
    """Runs `serve` in `count` worker processes until a stop signal or a worker's death; the exit code."""
    context = multiprocessing.get_context("fork")  # the parent has no event loop yet, so forking is safe
    workers = [context.Process(target=_worker, args=(serve, os.getpid()), name=f"crowdbot-worker-{n + 1}")
               for n in range(count)]
    stopping = False

    def stop_all(signum: int = signal.SIGTERM, frame: object = None) -> None:
        nonlocal stopping
        if not stopping:
            logger.info("stopping %d workers", count)
        stopping = True
        for worker in workers:
            if worker.pid is not None and worker.exitcode is None:
                os.kill(worker.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    for worker in workers:
        if stopping:  # stopped while starting: the rest never start
            break
        worker.start()
    logger.info("started %d workers: pids %s", count, ", ".join(str(worker.pid) for worker in workers))
    failed = False
    running = [worker for worker in workers if worker.pid is not None]
    while running:
        wait([worker.sentinel for worker in running])
        for worker in [worker for worker in running if not worker.is_alive()]:
            worker.join()
            running.remove(worker)
            if not stopping or worker.exitcode != 0:
                logger.error("worker %s (pid %s) exited with code %s%s", worker.name, worker.pid, worker.exitcode,
                             "" if stopping else "; stopping the others")
                failed = True
            if not stopping:
                stop_all()
    return 1 if failed else 0
