"""The allocators alone: upstream's bands (`calculateRangeOffset`), messages, and the bitmap's
invariants (never hands out a taken offset, counts stay exact, the upper band goes first)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.apiserver.allocators.bitmap import Bitmap
from kubelite.apiserver.allocators.errors import AlreadyAllocated, NotInRange, RangeFull
from kubelite.apiserver.allocators.ips import IPRange
from kubelite.apiserver.allocators.ips import static_band as ip_band
from kubelite.apiserver.allocators.ports import PortRange, parse_port_range
from kubelite.apiserver.allocators.ports import static_band as port_band


@pytest.mark.parametrize(
    ("size", "band"),
    [(16, 0), (17, 16), (256, 16), (512, 32), (4096, 256), (1 << 20, 256)],
    ids=["/28", "17", "/24", "/23", "/20", "/12"],
)
def test_ip_static_band_is_upstreams(size: int, band: int) -> None:
    assert ip_band(size) == band


@pytest.mark.parametrize(
    ("size", "band"), [(16, 0), (100, 16), (2768, 86), (10000, 128)], ids=["16", "100", "default", "big"]
)
def test_port_static_band_is_upstreams(size: int, band: int) -> None:
    assert port_band(size) == band


def test_ip_range_messages_and_bounds() -> None:
    ips = IPRange("10.96.0.0/12")
    assert ips.first == "10.96.0.1" and ips.free == (1 << 20) - 2
    with pytest.raises(NotInRange) as outside:
        ips.claim("10.112.0.1")
    assert str(outside.value) == (
        "the provided IP (10.112.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
    )
    ips.claim("10.96.0.1")
    with pytest.raises(AlreadyAllocated, match=r"^provided IP is already allocated$"):
        ips.claim("10.96.0.1")
    for bad in ("10.96.0.0", "10.111.255.255", "fd00::1", "nonsense"):
        assert not ips.contains(bad)
    ips.release("10.96.0.1")
    ips.release("10.96.0.1")  # twice is fine
    ips.release("192.168.1.1")  # foreign is ignored
    assert not ips.has("10.96.0.1")


def test_small_ranges_fill_and_never_give_the_first_address() -> None:
    ips = IPRange("10.0.0.0/30", rng=random.Random(1))  # .1 (reserved) and .2
    assert ips.allocate_next() == "10.0.0.2"
    with pytest.raises(RangeFull, match=r"^range is full$"):
        ips.allocate_next()
    six = IPRange("fd00::/120")
    assert six.family == "IPv6" and six.free == 255


def test_port_range_messages() -> None:
    assert parse_port_range("30000-32767") == (30000, 32767) and parse_port_range("8080") == (8080, 8080)
    for bad in ("0-10", "20-10", "x", "1-70000"):
        with pytest.raises(ValueError):
            parse_port_range(bad)
    ports = PortRange("30000-30001")
    with pytest.raises(NotInRange) as outside:
        ports.claim(8080)
    assert (
        str(outside.value)
        == "provided port is not in the valid range. The range of valid ports is 30000-30001"
    )
    ports.claim(30000)
    with pytest.raises(AlreadyAllocated, match=r"^provided port is already allocated$"):
        ports.claim(30000)
    assert ports.allocate_next() == 30001
    with pytest.raises(RangeFull):
        ports.allocate_next()
    ports.release(30000)
    assert ports.allocate_next() == 30000


ops = st.lists(st.tuples(st.sampled_from(["claim", "next", "release"]), st.integers(0, 39)), max_size=120)


@given(ops, st.integers(0, 40), st.integers(0, 3), st.integers(0, 2**16))
def test_bitmap_invariants(steps: list[tuple[str, int]], band: int, first: int, seed: int) -> None:
    bitmap = Bitmap(40, static_band=band, first_dynamic=first, rng=random.Random(seed))
    model: set[int] = set()
    for op, offset in steps:
        if op == "claim":
            assert bitmap.claim(offset) == (offset not in model)
            model.add(offset)
        elif op == "release":
            bitmap.release(offset)
            model.discard(offset)
        else:
            got = bitmap.allocate_next()
            dynamic = set(range(first, 40)) - model
            if got is None:
                assert not dynamic
                continue
            assert got not in model and got >= first
            upper_free = dynamic - set(range(max(band, first)))
            assert got >= max(band, first) or not upper_free  # the upper band goes first
            model.add(got)
        assert set(bitmap.taken()) == model and bitmap.free == 40 - len(model)
