"""Prometheus metrics of the HTTP transport, in their own registry (served at `/metrics`).

`apiserver_request_total{verb,resource,subresource,code}` counts answered requests and
`apiserver_request_duration_seconds{verb,resource}` times them, with Kubernetes' metric names and
verbs (GET, LIST, WATCH, POST, PUT, PATCH, DELETE). Watches are counted when they end. The
middleware labels a request once its handler has named the resource (`label_request`); other paths
(discovery, health) count under resource "".
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LABELS = web.RequestKey("kubelite_metric_labels", dict)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.requests = Counter(
            "apiserver_request_total",
            "Counter of apiserver requests broken out by verb, resource and HTTP response code.",
            ["verb", "resource", "subresource", "code"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb and resource.",
            ["verb", "resource"],
            registry=self.registry,
        )

    def exposition(self) -> web.Response:
        response = web.Response(body=generate_latest(self.registry))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response


def label_request(request: web.Request, verb: str, resource: str, subresource: str = "") -> None:
    request[LABELS] = {"verb": verb, "resource": resource, "subresource": subresource}


def metrics_middleware(metrics: Metrics) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        start = time.perf_counter()
        response = await handler(request)
        labels = request.get(LABELS) or {"verb": request.method, "resource": "", "subresource": ""}
        metrics.requests.labels(code=str(response.status), **labels).inc()
        metrics.duration.labels(verb=labels["verb"], resource=labels["resource"]).observe(
            time.perf_counter() - start
        )
        return response

    return middleware
