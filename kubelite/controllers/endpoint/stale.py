"""`StaleEndpoints`: knows when the Endpoints cache has not yet caught up with this controller's
own last write, so a sync does not act on a version it already replaced (upstream's
staleEndpointsTracker, extended to creates).

After an update that changed the object, `replaced(key, old_rv)` marks that old resourceVersion
stale; after a create, `created(key)` marks "absent" stale. `is_stale(key, cached)` is True while
the cache still shows the marked version (or nothing, after a create); a cache that moved on
clears the mark. `seen(key)` (the Endpoints informer's add) clears a create mark, so an object
created and then deleted by someone else is not taken for a lagging cache. `forget(key)` drops a
Service's mark when the Service is gone.
"""

from __future__ import annotations

from kubelite.api.core import Endpoints

ABSENT = ""


class StaleEndpoints:
    def __init__(self) -> None:
        self._marks: dict[str, str] = {}

    def replaced(self, key: str, old_resource_version: str) -> None:
        self._marks[key] = old_resource_version

    def created(self, key: str) -> None:
        self._marks[key] = ABSENT

    def seen(self, key: str) -> None:
        if self._marks.get(key) == ABSENT:
            del self._marks[key]

    def is_stale(self, key: str, cached: Endpoints | None) -> bool:
        mark = self._marks.get(key)
        if mark is None:
            return False
        version = ABSENT if cached is None else cached.metadata.resource_version
        if version == mark:
            return True
        del self._marks[key]
        return False

    def forget(self, key: str) -> None:
        self._marks.pop(key, None)
