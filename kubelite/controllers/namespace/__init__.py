"""The namespace controller (GC-8): empties a terminating namespace, writes upstream's deletion
conditions (`conditions`, pure) and finalizes it (`controller`)."""

from kubelite.controllers.namespace.controller import NamespaceController, NamespaceSettings

__all__ = ["NamespaceController", "NamespaceSettings"]
