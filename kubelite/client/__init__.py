"""Clients of the Kubernetes API: the `Client` protocol and its in-process implementation."""

from kubelite.client.inprocess import InProcessClient
from kubelite.client.interface import (
    Client,
    PatchType,
    Reader,
    StatusWriter,
    SubResourceClient,
    Watch,
    Watcher,
    Writer,
)

__all__ = [
    "Client",
    "InProcessClient",
    "PatchType",
    "Reader",
    "StatusWriter",
    "SubResourceClient",
    "Watch",
    "Watcher",
    "Writer",
]
