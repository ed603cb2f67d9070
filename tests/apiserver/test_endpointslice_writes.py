"""EndpointSlice writes through the apiserver (EP-11): an invalid slice is a 422 with upstream's
message and nothing is stored; an update may not change `addressType`; ports are defaulted
(`name: ""`, `protocol: TCP`) before validation, so a slice sent without them is accepted."""

from __future__ import annotations

import pytest

from kubelite.api.discovery import EndpointSlice
from kubelite.api.errors import Invalid
from kubelite.apiserver import APIServer

pytestmark = pytest.mark.anyio


async def test_ep11_an_invalid_slice_is_refused_and_nothing_stored(server: APIServer) -> None:
    sent = {"metadata": {"name": "bad"}, "addressType": "IPv4", "endpoints": [{"addresses": ["fd00::1"]}]}
    with pytest.raises(Invalid) as caught:
        await server.create(EndpointSlice, sent, "default")
    assert caught.value.status.code == 422
    assert caught.value.status.message == (
        'EndpointSlice.discovery.k8s.io "bad" is invalid: '
        'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'
    )
    assert (await server.list(EndpointSlice, "default")).items == []


async def test_ep11_address_type_may_not_change_and_ports_are_defaulted(server: APIServer) -> None:
    sent = {
        "metadata": {"name": "s"},
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.0.0.1"]}],
        "ports": [{"port": 80}],
    }
    made = await server.create(EndpointSlice, sent, "default")
    assert isinstance(made, EndpointSlice)
    assert (made.ports[0].name, made.ports[0].protocol) == ("", "TCP")
    made.address_type, made.endpoints[0].addresses = "FQDN", ["db.example.com"]
    with pytest.raises(Invalid) as caught:
        await server.update(EndpointSlice, made, "s", "default")
    assert caught.value.status.message == (
        'EndpointSlice.discovery.k8s.io "s" is invalid: addressType: Invalid value: "FQDN": field is immutable'
    )
    stored = await server.get(EndpointSlice, "s", "default")
    assert isinstance(stored, EndpointSlice) and stored.address_type == "IPv4"
