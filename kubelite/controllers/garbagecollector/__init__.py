"""The garbage collector (GC-1..GC-6): owner→dependents graph, pure decisions, a thin reconciler.

- `graph`: nodes reduced from every kind's objects and what to look at after each change;
- `monitor`: one reflector per kind feeding the graph;
- `plan`: pure decisions (classified references → keep / drop references / delete with a policy);
- `collector.GarbageCollector`: the reconciler on a `Manager`.
"""

from kubelite.controllers.garbagecollector.collector import GarbageCollector, GCSettings

__all__ = ["GCSettings", "GarbageCollector"]
