"""Why an allocator refused: one exception per upstream error, with upstream's message.

`AllocationError` is the base; `message` is the text Kubernetes puts after "failed to allocate …:".
These are internal to the apiserver: the Service strategy turns them into a 422 Invalid (a value
the user asked for) or a 500 InternalError (a full range while allocating dynamically), as
upstream's service registry does.
"""

from __future__ import annotations


class AllocationError(Exception):
    """An allocator could not hand out or reserve what was asked."""


class RangeFull(AllocationError):
    def __init__(self) -> None:
        super().__init__("range is full")


class AlreadyAllocated(AllocationError):
    def __init__(self, what: str) -> None:
        super().__init__(f"provided {what} is already allocated")


class NotInRange(AllocationError):
    pass
