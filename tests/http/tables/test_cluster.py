"""Namespace, ConfigMap, Secret, Lease and PodDisruptionBudget rows reproduce upstream's printers."""

from __future__ import annotations

from kubelite.api.coordination import Lease
from kubelite.api.core import ConfigMap, Namespace, Secret
from kubelite.api.policy import PodDisruptionBudget
from kubelite.apiserver.http.tables import cluster, configs

from .build import CREATED, make

NOW = CREATED + 5


def test_namespace() -> None:
    obj = make(Namespace, {"status": {"phase": "Terminating"}}, name="team")
    assert cluster.namespace_cells(obj, NOW) == ["team", "Terminating", "5s"]


def test_configmap_counts_data_and_binary_data() -> None:
    obj = make(ConfigMap, {"data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}, name="cfg")
    assert configs.configmap_cells(obj, NOW) == ["cfg", 3, "5s"]


def test_secret() -> None:
    obj = make(Secret, {"type": "Opaque", "data": {"a": "MQ=="}}, name="s")
    assert configs.secret_cells(obj, NOW) == ["s", "Opaque", 1, "5s"]


def test_lease_holder() -> None:
    assert cluster.lease_cells(make(Lease, {"spec": {"holderIdentity": "node1"}}), NOW) == [
        "x",
        "node1",
        "5s",
    ]
    assert cluster.lease_cells(make(Lease, {}), NOW) == ["x", "", "5s"]


def test_pdb() -> None:
    obj = make(PodDisruptionBudget, {"spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 2}})
    assert cluster.pdb_cells(obj, NOW) == ["x", "50%", "N/A", 2, "5s"]
    other = make(PodDisruptionBudget, {"spec": {"maxUnavailable": 1}})
    assert cluster.pdb_cells(other, NOW) == ["x", "N/A", "1", 0, "5s"]
