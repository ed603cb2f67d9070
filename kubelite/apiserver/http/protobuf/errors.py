"""The one error of protobuf decoding.

`ProtobufError(message)`: the body is not a Kubernetes protobuf object kubelite can read (no
`k8s\\x00` magic, a malformed envelope or object, an unknown kind). `unknown_kind` is True when the
envelope was well formed but names a kind kubelite does not decode.
"""

from __future__ import annotations


class ProtobufError(ValueError):
    """A request body that cannot be decoded as Kubernetes protobuf."""

    def __init__(self, message: str, *, unknown_kind: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unknown_kind = unknown_kind
