"""Hypothesis state machine over the queue (W1–W5): the queue against a plain model of the spec.

Rules add keys, let simulated workers take keys (`get_nowait`), finish them (`done`, also for keys
nobody holds) and shut the queue down. After every step: `len` counts only queued keys, no key is
held by two workers (W2), `get` is FIFO and reports shutdown only once drained (W5). At the end,
every key that was added and not yet processed comes out exactly once (no add is lost).
"""

from __future__ import annotations

import anyio
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kubelite.workqueue import Queue, QueueShutDown

KEYS = st.sampled_from(["default/a", "default/b", "default/c", "kube-system/d", "e"])


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.queue: Queue[str] = Queue()
        self.queued: list[str] = []  # the model: keys waiting, in order
        self.dirty: set[str] = set()  # keys that need processing (queued, or held and re-added)
        self.held: set[str] = set()  # keys some worker is processing
        self.shut = False

    @rule(key=KEYS)
    def add(self, key: str) -> None:
        self.queue.add(key)
        if self.shut or key in self.dirty:
            return
        self.dirty.add(key)
        if key not in self.held:
            self.queued.append(key)

    @rule()
    def get(self) -> None:
        try:
            key = self.queue.get_nowait()
        except anyio.WouldBlock:
            assert not self.queued and not self.shut, "get blocked although keys are queued"
            return
        except QueueShutDown:
            assert self.shut and not self.queued, "shutdown reported before the queue drained"
            return
        assert key not in self.held, f"W2: {key} handed to a second worker"
        assert self.queued and key == self.queued.pop(0), "get is not FIFO over queued keys"
        self.held.add(key)
        self.dirty.discard(key)

    @precondition(lambda self: self.held)
    @rule(data=st.data())
    def done(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.held)))
        self.queue.done(key)
        self.held.remove(key)
        if key in self.dirty:
            self.queued.append(key)

    @rule(key=KEYS)
    def done_by_nobody(self, key: str) -> None:
        if key not in self.held:
            self.queue.done(key)  # must change nothing

    @rule()
    def shut_down(self) -> None:
        self.queue.shut_down()
        self.shut = True

    @invariant()
    def len_counts_only_queued(self) -> None:
        assert len(self.queue) == len(self.queued)

    @invariant()
    def shutting_down_is_reported(self) -> None:
        assert self.queue.shutting_down == self.shut

    def teardown(self) -> None:
        """No add is lost: finishing everything and draining yields every dirty key exactly once."""
        self.queue.shut_down()
        for key in sorted(self.held):
            self.queue.done(key)
        drained = []
        while True:
            try:
                drained.append(self.queue.get_nowait())
            except QueueShutDown:
                break
        requeued = [key for key in sorted(self.held) if key in self.dirty]
        assert drained == self.queued + requeued


QueueMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
test_queue_state_machine = QueueMachine.TestCase
