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
from kubelite.client.record import EventRecorder, reference_to

__all__ = [
    "Client",
    "EventRecorder",
    "InProcessClient",
    "PatchType",
    "Reader",
    "StatusWriter",
    "SubResourceClient",
    "Watch",
    "Watcher",
    "Writer",
    "reference_to",
]
