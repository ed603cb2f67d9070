"""Strategic merge's element keys: an element of a keyed list that is not an object, or lacks the
merge key, has no key (None) and is never matched with another element."""

from __future__ import annotations

from kubelite.apiserver.patch.ordering import key_by, key_of_scalar


def test_elements_without_a_usable_merge_key_have_none() -> None:
    key_of = key_by("name")
    assert key_of({"name": "a"}) == key_of_scalar("a")
    assert [key_of(e) for e in ({"image": "x"}, "name", "a name", 5, None, ["name"])] == [None] * 6
