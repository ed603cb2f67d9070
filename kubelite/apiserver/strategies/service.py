"""The Service strategy (Kubernetes' `pkg/registry/core/service/`).

- Create discards the sent status; main writes keep the stored status, status writes the stored
  spec. Services do not track generation.
- Allocation (`kubelite.apiserver.allocators.service`): cluster IPs from `settings.service_cidr`,
  node ports from `settings.service_node_port_range`, in allocators this strategy owns. They are
  seeded from the stored Services on the first hook that needs them (so a restarted server knows
  what its store holds), take what a create or update needs before the write, keep it when the
  write is stored and give it back when it is not (a rejection, a store fault, a dry run). A
  removed Service (DELETE, the last finalizer gone, its namespace emptied) frees all it held.
  Concurrent writes never share an address or port: hooks run synchronously between a request's
  read and its write, on one event loop.
- `ipFamilyPolicy`/`ipFamilies` are set as upstream's single-stack cluster sets them
  (`kubelite.apiserver.allocators.ipfamilies`).
- A main write keeps allocated values the request left out (the cluster IP, node ports by port
  name, the health-check port) and drops type-dependent fields the new type no longer uses when
  they are unchanged from the stored object (`servicefields`), as upstream's strategy does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubelite.api.core import Service
from kubelite.api.errors import invalid_error
from kubelite.api.meta import Object
from kubelite.apiserver.allocators import service as allocation
from kubelite.apiserver.allocators.ipfamilies import init_ip_families
from kubelite.apiserver.allocators.ips import IPRange
from kubelite.apiserver.allocators.ports import PortRange
from kubelite.apiserver.allocators.transaction import Transaction
from kubelite.apiserver.strategies.base import Finish, Strategy
from kubelite.apiserver.strategies.servicefields import drop_type_dependent_fields, keep_allocated_values

if TYPE_CHECKING:
    from kubelite.api.registry import ResourceInfo
    from kubelite.apiserver.core import ServerCore


class ServiceStrategy(Strategy):
    return_deleted_object = True

    def __init__(self) -> None:
        super().__init__(status_subresource=True, reset_status_on_create=True)
        self._ranges: tuple[IPRange, PortRange] | None = None

    def ranges(self, core: ServerCore, info: ResourceInfo) -> tuple[IPRange, PortRange]:
        """The allocators, seeded from the store the first time."""
        if self._ranges is None:
            ips = IPRange(core.settings.service_cidr)
            ports = PortRange(core.settings.service_node_port_range)
            records, _ = core.storage.list(info.qualified_plural)
            for record in records:
                svc = core.load(info, record)
                assert isinstance(svc, Service)
                allocation.seed(ips, ports, svc)
            self._ranges = ips, ports
        return self._ranges

    def prepare_for_update(self, old: Object, new: Object) -> None:
        super().prepare_for_update(old, new)
        assert isinstance(old, Service) and isinstance(new, Service)
        keep_allocated_values(old, new)
        drop_type_dependent_fields(old, new)

    def begin_create(self, core: ServerCore, info: ResourceInfo, obj: Object) -> Finish:
        assert isinstance(obj, Service)
        ips, ports = self.ranges(core, info)
        errors = init_ip_families(obj, None, ips.family)
        if errors:
            raise invalid_error("", "Service", obj.metadata.name, errors)
        txn = Transaction(ips, ports)
        try:
            allocation.allocate_create(txn, obj)
        except BaseException:
            txn.revert()
            raise
        return txn.finish

    def begin_update(self, core: ServerCore, info: ResourceInfo, old: Object, new: Object) -> Finish:
        assert isinstance(old, Service) and isinstance(new, Service)
        ips, ports = self.ranges(core, info)
        errors = init_ip_families(new, old, ips.family)
        if errors:
            raise invalid_error("", "Service", new.metadata.name, errors)
        txn = Transaction(ips, ports)
        try:
            allocation.allocate_update(txn, old, new)
        except BaseException:
            txn.revert()
            raise
        return txn.finish

    def removed(self, core: ServerCore, info: ResourceInfo, obj: Object) -> None:
        assert isinstance(obj, Service)
        ips, ports = self.ranges(core, info)
        allocation.release_all(ips, ports, obj)
