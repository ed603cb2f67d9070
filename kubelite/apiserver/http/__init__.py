"""The Kubernetes HTTP API over an `APIServer` (aiohttp): what kubectl and the official clients use.

    app = build_app(server, settings=HTTPSettings(), middlewares=[...], ready=..., pod_streams=...)
    async with serve(app, "127.0.0.1", 6443, ssl_context) as serving:
        ...

The transport adds nothing kind-specific: paths resolve through the server's registry, semantics
are the APIServer's, Tables come from `tables.to_table`, protobuf bodies from `protobuf.decode`,
and `pods/log` goes through the `PodStreams` the caller passes.
"""

from kubelite.apiserver.http.app import build_app
from kubelite.apiserver.http.metrics import Metrics
from kubelite.apiserver.http.serve import Serving, serve, serve_forever
from kubelite.apiserver.http.settings import HTTPSettings
from kubelite.apiserver.http.streams import PodStreams

__all__ = ["HTTPSettings", "Metrics", "PodStreams", "Serving", "build_app", "serve", "serve_forever"]
