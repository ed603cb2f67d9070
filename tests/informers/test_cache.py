"""The Indexer's all-or-nothing edges (STYLE 9b): an index function that raises leaves the cache
exactly as it was, and the indices always agree with the stored objects."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import Pod
from kubelite.informers import NAMESPACE_INDEX, Indexer, IndexFuncError
from tests.apiserver.conftest import pod


def by_app(obj: Pod) -> list[str]:
    """Index pods by their `app` label; a pod labelled `app=boom` makes the function raise."""
    app = obj.metadata.labels.get("app")
    if app == "boom":
        raise RuntimeError("cannot index boom")
    return [app] if app else []


def snapshot(indexer: Indexer[Pod]) -> dict[str, object]:
    """Everything observable about an indexer: stored encodings and every index bucket."""
    return {
        "items": {key: indexer.encoded(key) for key in indexer.list_keys()},
        "indices": {
            name: {value: indexer.index_keys(name, value) for value in indexer.index_values(name)}
            for name in (NAMESPACE_INDEX, "app")
        },
    }


def assert_consistent(indexer: Indexer[Pod]) -> None:
    """The indices hold exactly what the index functions give for the stored objects."""
    expected: dict[str, dict[str, list[str]]] = {NAMESPACE_INDEX: {}, "app": {}}
    for obj in indexer.values():
        key = f"{obj.metadata.namespace}/{obj.metadata.name}"
        for name, values in ((NAMESPACE_INDEX, [obj.metadata.namespace]), ("app", by_app(obj))):
            for value in values:
                expected[name].setdefault(value, []).append(key)
    for name, buckets in expected.items():
        assert {v: sorted(keys) for v, keys in buckets.items()} == {
            v: indexer.index_keys(name, v) for v in indexer.index_values(name)
        }


def make() -> Indexer[Pod]:
    indexer: Indexer[Pod] = Indexer(Pod)
    indexer.add_indexers({"app": by_app})
    return indexer


def test_a_raising_index_function_refuses_a_new_object_and_changes_nothing() -> None:
    indexer = make()
    indexer.put(pod("a", app="web"))
    before = snapshot(indexer)
    with pytest.raises(IndexFuncError) as caught:
        indexer.put(pod("b", app="boom"))
    assert (caught.value.key, caught.value.index) == ("default/b", "app")
    assert str(caught.value) == "index 'app' failed for default/b: RuntimeError: cannot index boom"
    assert snapshot(indexer) == before
    assert "default/b" not in indexer and indexer.by_index(NAMESPACE_INDEX, "default")[0].metadata.name == "a"


def test_a_raising_index_function_keeps_the_previous_version_of_a_key() -> None:
    indexer = make()
    indexer.put(pod("a", app="web", version="1"))
    before = snapshot(indexer)
    with pytest.raises(IndexFuncError):
        indexer.put(pod("a", app="boom", version="2"))
    assert snapshot(indexer) == before
    kept = indexer.get("default/a")
    assert kept is not None and kept.metadata.labels == {"app": "web", "version": "1"}


def test_an_index_value_that_is_not_a_string_is_refused_before_anything_is_written() -> None:
    indexer: Indexer[Pod] = Indexer(Pod)
    indexer.add_indexers({"bad": lambda p: [["not", "hashable"]]})  # type: ignore[list-item]  # the bug under test
    with pytest.raises(IndexFuncError, match="is not a str"):
        indexer.put(pod("a"))
    assert len(indexer) == 0 and indexer.index_values(NAMESPACE_INDEX) == []


def test_add_indexers_is_all_or_nothing() -> None:
    indexer: Indexer[Pod] = Indexer(Pod)
    indexer.put(pod("a", app="web"))
    indexer.put(pod("b", app="boom"))
    with pytest.raises(IndexFuncError):
        indexer.add_indexers({"fine": lambda p: ["x"], "app": by_app})
    with pytest.raises(KeyError):
        indexer.index_values("fine")
    indexer.add_indexers({"fine": lambda p: ["x"]})  # nothing half-registered blocks a retry
    assert indexer.index_keys("fine", "x") == ["default/a", "default/b"]


def test_remove_scrubs_a_key_whose_index_function_now_raises() -> None:
    """A non-deterministic index function cannot strand a removed key in an index."""
    calls: list[int] = []

    def flaky(obj: Pod) -> Iterable[str]:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("changed its mind")
        return ["v"]

    indexer: Indexer[Pod] = Indexer(Pod)
    indexer.add_indexers({"flaky": flaky})
    indexer.put(pod("a"))
    assert indexer.remove("default/a") is not None
    assert indexer.index_values("flaky") == [] and len(indexer) == 0


OPS = st.lists(
    st.tuples(
        st.sampled_from(["put", "remove"]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["web", "db", "boom", ""]),
    ),
    max_size=30,
)


@given(OPS)
def test_indices_always_match_the_stored_objects(ops: list[tuple[str, str, str]]) -> None:
    """Property: whatever mix of puts (some refused) and removes, the indices agree with the items,
    and a refused put changes nothing."""
    indexer = make()
    for op, name, app in ops:
        if op == "remove":
            indexer.remove(f"default/{name}")
            continue
        before = snapshot(indexer)
        try:
            indexer.put(pod(name, app=app) if app else pod(name))
        except IndexFuncError:
            assert app == "boom" and snapshot(indexer) == before
        assert_consistent(indexer)
