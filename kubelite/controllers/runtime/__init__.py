"""The controller runtime: reconcile contract, controllers, manager, expectations, slow start."""

from kubelite.controllers.runtime.controller import Controller, ControllerOptions, RequestQueue
from kubelite.controllers.runtime.expectations import Expectations, slow_start_batch
from kubelite.controllers.runtime.manager import ControllerBuilder, Manager
from kubelite.controllers.runtime.reconcile import Reconciler, Request, Result, TerminalError

__all__ = [
    "Controller",
    "ControllerBuilder",
    "ControllerOptions",
    "Expectations",
    "Manager",
    "Reconciler",
    "Request",
    "RequestQueue",
    "Result",
    "TerminalError",
    "slow_start_batch",
]
