"""A closed-loop load generator spread over several client processes, so the sender is not the bottleneck.

Requests are signed and serialised before the burst; each process runs its share of the workers (one keep-alive
connection each, opened before the clock starts) over its share of the requests, all start together from a
barrier, and the burst lasts from that start to the last answer.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import time
from dataclasses import dataclass

from benchmarks.load import SIGNATURE_WINDOW_SECONDS, LoadResult, SignedRequest, presign
from benchmarks.raw_http import KeepAliveConnection, request_bytes

# A burst must end while its signatures are still accepted.
BURST_LIMIT_SECONDS = SIGNATURE_WINDOW_SECONDS


@dataclass
class ClientShare:
    started: float
    ended: float
    ok: int
    failed: int
    latencies_ms: list[float]
    cpu_seconds: float


async def _send_share(url: str, requests: list[SignedRequest], concurrency: int, barrier) -> ClientShare:  # noqa: ANN001
    pending = [request_bytes(url, body, headers) for body, headers in reversed(requests)]
    latencies: list[float] = []
    failures = 0
    connections = [KeepAliveConnection(url) for _ in range(concurrency)]
    await asyncio.gather(*(connection.open() for connection in connections))  # connected before the clock starts

    async def worker(connection: KeepAliveConnection) -> None:
        nonlocal failures
        while pending:
            raw = pending.pop()
            sent = time.perf_counter()
            status = await connection.send(raw)
            if status == 200:
                latencies.append((time.perf_counter() - sent) * 1000)
            else:
                failures += 1

    await asyncio.to_thread(barrier.wait)
    cpu_before = time.process_time()
    # perf_counter is the system-wide monotonic clock on Linux, so the processes' instants compare.
    started = time.perf_counter()
    await asyncio.gather(*(worker(connection) for connection in connections))
    ended = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_before
    await asyncio.gather(*(connection.close() for connection in connections))
    return ClientShare(started, ended, len(latencies), failures, latencies, cpu_seconds)


def _client_process(url: str, requests: list[SignedRequest], concurrency: int, barrier, results) -> None:  # noqa: ANN001
    results.put(asyncio.run(_send_share(url, requests, concurrency, barrier)))


def _collect(processes: list[multiprocessing.process.BaseProcess], results, timeout: float) -> list[ClientShare]:  # noqa: ANN001
    shares: list[ClientShare] = []
    deadline = time.monotonic() + timeout
    while len(shares) < len(processes):
        try:
            shares.append(results.get(timeout=1.0))
        except queue.Empty:
            crashed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if crashed or time.monotonic() > deadline:
                raise RuntimeError(f"a load client failed (exit codes {crashed}) or the burst overran") from None
    for process in processes:
        process.join()
    return shares


def _burst(url: str, requests: list[SignedRequest], concurrency: int, clients: int, timeout: float) -> LoadResult:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no event loop or sockets inherited
    barrier, results = context.Barrier(clients), context.Queue()
    processes = []
    for index in range(clients):
        workers = concurrency // clients + (1 if index < concurrency % clients else 0)
        processes.append(context.Process(target=_client_process, daemon=True, name=f"load-client-{index + 1}",
                                         args=(url, requests[index::clients], workers, barrier, results)))
    for process in processes:
        process.start()
    shares = _collect(processes, results, timeout)
    seconds = max(s.ended for s in shares) - min(s.started for s in shares)
    latencies = [latency for share in shares for latency in share.latencies_ms]
    return LoadResult(len(requests), len(latencies), sum(s.failed for s in shares), seconds, latencies,
                      clients=clients, client_cpu_seconds=sum(s.cpu_seconds for s in shares))


async def closed_loop(url: str, secret: str, bodies: list[str], concurrency: int, *,
                      clients: int = 1) -> LoadResult:
    """`concurrency` workers over `clients` processes, each sending its next request as soon as the last was
    answered; every request signed before the burst with one timestamp."""
    clients = max(1, min(clients, concurrency))
    return await asyncio.to_thread(_burst, url, presign(secret, bodies), concurrency, clients, BURST_LIMIT_SECONDS)
