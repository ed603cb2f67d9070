"""Kubernetes request semantics over the store: create, read, update, patch, delete, watch and the
scale, binding and eviction subresources, with each kind's rules in its `Strategy`. The HTTP
transport is a thin layer over `APIServer`."""

from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.server import APIServer
from kubelite.apiserver.settings import APIServerSettings
from kubelite.apiserver.strategies import Strategy
from kubelite.apiserver.watch import WatchStream

__all__ = ["APIServer", "APIServerSettings", "RequestContext", "Strategy", "WatchStream"]
