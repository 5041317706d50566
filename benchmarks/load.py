"""A closed-loop and an open-loop load generator for signed Slack event requests, with latency figures."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import statistics
import time
from dataclasses import dataclass

import aiohttp


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def reaction_event(*, user: str, channel: str, ts: str, event_id: str, reaction: str = "+1") -> str:
    return json.dumps({
        "token": "unused", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "reaction_added", "user": user, "reaction": reaction, "item_user": "U0AUTHOR",
                  "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": f"{time.time():.6f}"},
    })


@dataclass
class LoadResult:
    sent: int
    ok: int
    failed: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> str:
        return (f"{self.ok}/{self.sent} acknowledged in {self.seconds:.2f}s = {self.rate:,.0f} events/s; "
                f"ack p50 {self.percentile(0.5):.1f} ms, p99 {self.percentile(0.99):.1f} ms, "
                f"max {max(self.latencies_ms, default=0):.1f} ms; failed {self.failed}")


async def _post(session: aiohttp.ClientSession, url: str, secret: str, body: str) -> tuple[bool, float]:
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": sign(secret, timestamp, body)}
    started = time.perf_counter()
    try:
        async with session.post(url, data=body.encode(), headers=headers) as response:
            await response.read()
            return response.status == 200, (time.perf_counter() - started) * 1000
    except aiohttp.ClientError:
        return False, (time.perf_counter() - started) * 1000


async def closed_loop(url: str, secret: str, bodies: list[str], concurrency: int) -> LoadResult:
    """`concurrency` workers, each sending its next request as soon as the last was answered."""
    queue = list(reversed(bodies))
    latencies: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker() -> None:
            nonlocal failures
            while queue:
                ok, elapsed = await _post(session, url, secret, queue.pop())
                if ok:
                    latencies.append(elapsed)
                else:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return LoadResult(len(bodies), len(latencies), failures, seconds, latencies)


async def open_loop(url: str, secret: str, bodies: list[str], per_second: float) -> LoadResult:
    """Sends at a fixed rate whatever the server does, so slow answers show up as latency, not as less load."""
    latencies: list[float] = []
    failures = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def one(body: str) -> None:
            nonlocal failures
            ok, elapsed = await _post(session, url, secret, body)
            if ok:
                latencies.append(elapsed)
            else:
                failures += 1

        started = time.perf_counter()
        tasks = []
        for index, body in enumerate(bodies):
            delay = started + index / per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body)))
        await asyncio.gather(*tasks)
        seconds = time.perf_counter() - started
    return LoadResult(len(bodies), len(latencies), failures, seconds, latencies)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
