"""Signed Slack event requests, signed before the clock starts, an open-loop sender and the figures of a burst."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import statistics
import time
from dataclasses import dataclass

import aiohttp

# Slack refuses a request whose timestamp is more than five minutes old; a burst signed up front must start
# well inside that window.
SIGNATURE_WINDOW_SECONDS = 240

SignedRequest = tuple[bytes, dict[str, str]]


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def presign(secret: str, bodies: list[str]) -> list[SignedRequest]:
    """Every request signed now with one timestamp, so the sender spends nothing on HMACs during the burst."""
    timestamp = str(int(time.time()))
    return [(body.encode(), {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
                             "X-Slack-Signature": sign(secret, timestamp, body)}) for body in bodies]


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
    clients: int = 1
    client_cpu_seconds: float = 0.0  # CPU the sending processes used during the burst, all of them together

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def client_cores(self) -> float:
        """The load generator's own CPU share, in cores: near the machine's core count, it is the bottleneck."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> str:
        return (f"{self.ok}/{self.sent} acknowledged in {self.seconds:.2f}s = {self.rate:,.0f} events/s; "
                f"ack p50 {self.percentile(0.5):.1f} ms, p99 {self.percentile(0.99):.1f} ms, "
                f"max {max(self.latencies_ms, default=0):.1f} ms; failed {self.failed}; "
                f"{self.clients} client process(es) used {self.client_cores:.2f} cores")


async def post_signed(session: aiohttp.ClientSession, url: str, request: SignedRequest) -> tuple[bool, float]:
    body, headers = request
    started = time.perf_counter()
    try:
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status == 200, (time.perf_counter() - started) * 1000
    except aiohttp.ClientError:
        return False, (time.perf_counter() - started) * 1000


async def open_loop(url: str, secret: str, bodies: list[str], per_second: float) -> LoadResult:
    """Sends at a fixed rate whatever the server does, so slow answers show up as latency, not as less load."""
    requests = presign(secret, bodies)
    latencies: list[float] = []
    failures = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def one(request: SignedRequest) -> None:
            nonlocal failures
            ok, elapsed = await post_signed(session, url, request)
            if ok:
                latencies.append(elapsed)
            else:
                failures += 1

        cpu_before = time.process_time()
        started = time.perf_counter()
        tasks = []
        for index, request in enumerate(requests):
            delay = started + index / per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(request)))
        await asyncio.gather(*tasks)
        seconds = time.perf_counter() - started
    return LoadResult(len(bodies), len(latencies), failures, seconds, latencies,
                      client_cpu_seconds=time.process_time() - cpu_before)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
