"""The pods-by-label index on the shared Pod informer, so a sync decodes only the pods that can
match a Service's selector instead of every pod of its namespace.

`ensure_pods_by_label(factory)` adds `PODS_BY_LABEL` (one entry `namespace/key=value` per label)
unless another controller of the factory already did. `selected_pods(indexer, namespace,
selector, memo)` reads the smallest bucket among the selector's pairs and keeps the pods matching
the whole selector; with a `PodMemo` (`podmemo`), pods unchanged since an earlier sync are not
decoded again, and are shared read-only; without one they are the caller's own copies (see
`kubelite.informers.lister`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from kubelite.api.core import Pod
from kubelite.controllers.endpointutil.membership import selects
from kubelite.controllers.endpointutil.podmemo import PodMemo
from kubelite.informers import SharedInformerFactory
from kubelite.informers.cache import Indexer

PODS_BY_LABEL = "endpoints/label"


def _pair(namespace: str, key: str, value: str) -> str:
    return f"{namespace}/{key}={value}"


def _label_pairs(pod: Pod) -> list[str]:
    namespace = pod.metadata.namespace
    return [_pair(namespace, key, value) for key, value in pod.metadata.labels.items()]


def ensure_pods_by_label(factory: SharedInformerFactory) -> Indexer[Pod]:
    informer = factory.informer(Pod)
    with contextlib.suppress(ValueError):  # already added by another controller of this factory
        informer.add_indexers({PODS_BY_LABEL: _label_pairs})
    return informer.indexer


def selected_pods(
    indexer: Indexer[Pod], namespace: str, selector: Mapping[str, str], memo: PodMemo | None = None
) -> list[Pod]:
    if not selector:
        return []
    pairs = [_pair(namespace, key, value) for key, value in selector.items()]
    smallest = min(pairs, key=lambda pair: indexer.index_size(PODS_BY_LABEL, pair))
    if memo is None:
        candidates = indexer.by_index(PODS_BY_LABEL, smallest)
    else:
        candidates = [_remembered(indexer, memo, key) for key in indexer.index_keys(PODS_BY_LABEL, smallest)]
    return [pod for pod in candidates if selects(selector, pod.metadata.labels)]


def _remembered(indexer: Indexer[Pod], memo: PodMemo, key: str) -> Pod:
    raw = indexer.encoded(key)
    assert raw is not None, key  # index keys are always stored keys
    return memo.pod(key, raw)
