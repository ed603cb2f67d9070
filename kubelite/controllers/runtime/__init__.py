"""The controller runtime: reconcile contract, controllers, manager, builder, predicates,
expectations, slow start."""

from kubelite.controllers.runtime.builder import ControllerBuilder
from kubelite.controllers.runtime.controller import Controller, ControllerOptions, RequestQueue
from kubelite.controllers.runtime.expectations import Expectations, slow_start_batch
from kubelite.controllers.runtime.lifecycle import CacheSyncTimeoutError
from kubelite.controllers.runtime.manager import Manager, ManagerOptions
from kubelite.controllers.runtime.predicates import (
    ANNOTATIONS_CHANGED,
    GENERATION_CHANGED,
    LABELS_CHANGED,
    RESOURCE_VERSION_CHANGED,
    Predicate,
    any_of,
    matching,
)
from kubelite.controllers.runtime.reconcile import Reconciler, Request, Result, TerminalError

__all__ = [
    "ANNOTATIONS_CHANGED",
    "GENERATION_CHANGED",
    "LABELS_CHANGED",
    "RESOURCE_VERSION_CHANGED",
    "CacheSyncTimeoutError",
    "Controller",
    "ControllerBuilder",
    "ControllerOptions",
    "Expectations",
    "Manager",
    "ManagerOptions",
    "Predicate",
    "Reconciler",
    "Request",
    "RequestQueue",
    "Result",
    "TerminalError",
    "any_of",
    "matching",
    "slow_start_batch",
]
