"""The ReplicaSet and ReplicationController controllers (RS-1..RS-11): pure planners and a thin loop.

- `pods`, `claims` (RS-2, RS-3), `scale` (RS-4, RS-5), `ranking` (RS-6), `status` (RS-8): pure;
- `kinds`: the per-kind strategies (RS-11); `writes`: the API writes of a sync;
- `controller.ReplicaController`: the reconciler on a `Manager` (RS-7, RS-9, RS-10).
"""

from kubelite.controllers.replicaset.controller import ReplicaController, ReplicaSetSettings
from kubelite.controllers.replicaset.kinds import REPLICA_SET, REPLICATION_CONTROLLER, ReplicaKind

__all__ = ["REPLICATION_CONTROLLER", "REPLICA_SET", "ReplicaController", "ReplicaKind", "ReplicaSetSettings"]
