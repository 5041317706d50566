"""Prometheus metrics of one process: inbound events, acknowledgement latency, group commits, outbox, scheduler.

Each process (replica) owns a registry and exposes its own figures; Prometheus adds replicas up. No label ever
carries user text or a person's identity.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.inbound = Counter("crowdbot_inbound_events", "Inbound events by platform, kind and outcome "
                               "(stored, duplicate, refused, unchanged, unavailable)",
                               ["platform", "kind", "outcome"], registry=r)
        self.ack_seconds = Histogram("crowdbot_ack_seconds", "Time from an inbound event reaching the core to "
                                     "its answer", ["platform"], buckets=ACK_BUCKETS, registry=r)
        self.batch_size = Histogram("crowdbot_group_commit_batch_size", "Reactions committed per transaction",
                                    buckets=BATCH_BUCKETS, registry=r)
        self.outbox_depth = Gauge("crowdbot_outbox_pending", "Messages waiting in the outbox", registry=r)
        self.outbox_oldest = Gauge("crowdbot_outbox_oldest_pending_seconds",
                                   "Age of the oldest message waiting in the outbox", registry=r)
        self.outbox_sent = Counter("crowdbot_outbox_sent", "Messages delivered", ["platform"], registry=r)
        self.outbox_failed = Counter("crowdbot_outbox_failed", "Delivery attempts that failed", ["platform"],
                                     registry=r)
        self.outbox_rate_limited = Counter("crowdbot_outbox_rate_limited", "429 answers from a platform",
                                           ["platform"], registry=r)
        self.scheduler_fires = Counter("crowdbot_scheduler_fires", "Scheduled fires by job and whether this "
                                       "process won the claim", ["job", "claim"], registry=r)
        self.database_errors = Counter("crowdbot_database_errors", "Requests the database did not answer",
                                       registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
