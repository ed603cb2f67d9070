"""`PodMemo`: the decoded pods of one endpoints controller's syncs, kept between syncs.

The informer cache stores each pod encoded, and every read decodes a fresh copy; at 10,000 pods a
Service sync spent most of its time decoding pods that had not changed since the previous sync.
`pod(key, raw)` returns the pod decoded from `raw`, the cache's current encoding of `key`: the
memo's pod when it was decoded from an equal encoding (the same bytes object, or equal bytes),
else a fresh decode that replaces it. A changed pod, or one deleted and recreated under the same
name (a new uid and resourceVersion), always has a different encoding, so a stale pod is never
served. `forget(key)` drops a deleted pod (memory only; correctness does not depend on it).

The pods are shared between syncs of the one controller owning the memo: callers must not mutate
them (the planners are pure). Memory is one decoded pod per selected pod.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Pod


class PodMemo:
    def __init__(self) -> None:
        self._decode = msgspec.msgpack.Decoder(Pod).decode
        self._pods: dict[str, tuple[bytes, Pod]] = {}

    def __len__(self) -> int:
        return len(self._pods)

    def pod(self, key: str, raw: bytes) -> Pod:
        held = self._pods.get(key)
        if held is not None and (held[0] is raw or held[0] == raw):
            return held[1]
        pod = self._decode(raw)
        self._pods[key] = (raw, pod)
        return pod

    def forget(self, key: str) -> None:
        self._pods.pop(key, None)
