"""`PodNetwork` (KUB-14): pod IPs are unique among live sandboxes, across every fake runtime that
shares the network; released addresses come back; the network and broadcast addresses never do."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.clock import FakeClock
from kubelite.cri import CRIError, PodSandboxFilter
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork
from tests.cri.builders import sandbox_config

OPERATIONS = st.lists(st.tuples(st.booleans(), st.integers(min_value=0, max_value=9)), max_size=80)


@given(OPERATIONS)
def test_kub14_addresses_are_unique_among_live_sandboxes(operations: list[tuple[bool, int]]) -> None:
    network = PodNetwork("10.0.0.0/29")  # 6 usable addresses for up to 10 sandboxes
    live: dict[str, str] = {}
    for allocate, number in operations:
        sandbox = f"s{number}"
        if allocate:
            try:
                address = network.allocate(sandbox)
            except CRIError:
                assert len(live) == network.capacity == 6 and sandbox not in live
                continue
            assert live.setdefault(sandbox, address) == address  # asking again gives the same one
        else:
            network.release(sandbox)
            live.pop(sandbox, None)
        assert len(set(live.values())) == len(live) == len(network)
        assert set(live.values()) <= {f"10.0.0.{host}" for host in range(1, 7)}


def test_fresh_addresses_first_then_released_ones_lowest_first() -> None:
    network = PodNetwork("192.168.0.0/30")
    assert [network.allocate(name) for name in "ab"] == ["192.168.0.1", "192.168.0.2"]
    with pytest.raises(CRIError):
        network.allocate("c")
    network.release("b")
    network.release("a")
    network.release("a")  # idempotent
    assert [network.allocate(name) for name in "cd"] == ["192.168.0.1", "192.168.0.2"]


@pytest.mark.parametrize(
    ("cidr", "first"), [("10.1.2.3/32", "10.1.2.3"), ("fd00::/120", "fd00::1")], ids=["single", "ipv6"]
)
def test_small_and_ipv6_networks(cidr: str, first: str) -> None:
    assert PodNetwork(cidr).allocate("a") == first


@pytest.mark.anyio
async def test_kub14_two_runtimes_sharing_a_network_never_share_an_ip() -> None:
    clock = FakeClock()
    network = PodNetwork("10.244.0.0/28")  # 14 addresses
    images = FakeImageService(clock)
    nodes = [FakeRuntime(clock, images=images, network=network, name=f"node-{n}") for n in range(2)]
    ids = [[await node.run_pod_sandbox(sandbox_config()) for _ in range(7)] for node in nodes]
    ips = [(await node.pod_sandbox_status(i)).ip for node, row in zip(nodes, ids, strict=True) for i in row]
    assert len(set(ips)) == 14 and all(
        ipaddress.ip_address(ip) in ipaddress.ip_network(network.cidr) for ip in ips
    )
    with pytest.raises(CRIError):
        await nodes[0].run_pod_sandbox(sandbox_config())
    assert len(await nodes[0].list_pod_sandbox(PodSandboxFilter())) == 7  # the failed run left nothing
    freed = (await nodes[0].pod_sandbox_status(ids[0][3])).ip
    await nodes[0].remove_pod_sandbox(ids[0][3])
    reused = await nodes[1].run_pod_sandbox(sandbox_config())
    assert (await nodes[1].pod_sandbox_status(reused)).ip == freed
