"""Prometheus metrics of the process (prometheus-client): requests and open chat sockets.

Counts only, with labels that say *which page* (the URL pattern's name, never the path, which
can carry a receipt code) and never *who*. Figures that live in the database (queues, job runs)
are read at scrape time by ``baken.web.metrics``. With several worker processes set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by them (prometheus-client's multiprocess
mode); ``/metrics`` then adds up all processes.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = ["CHAT_SOCKETS", "REQUEST_SECONDS", "REQUESTS"]

REQUESTS = Counter(
    "baken_http_requests",
    "HTTP requests answered, by URL pattern name, method and status.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "baken_http_request_duration_seconds",
    "Time to answer an HTTP request, by method.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CHAT_SOCKETS = Gauge(
    "baken_chat_sockets",
    "Open chat websockets: visitors' tabs and counsellors' consoles.",
    ["kind"],
    multiprocess_mode="livesum",
)
