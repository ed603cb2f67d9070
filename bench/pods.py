"""A realistic pod of about 1.6 KB of JSON, as the store benchmarks write."""

from __future__ import annotations

from kubelite.api.core import (
    ConfigMapVolumeSource,
    Container,
    ContainerPort,
    EnvVar,
    HTTPGetAction,
    Pod,
    PodSpec,
    Probe,
    ResourceRequirements,
    Volume,
    VolumeMount,
)
from kubelite.api.meta import ObjectMeta, OwnerReference


def sample_pod(name: str, namespace: str = "default") -> Pod:
    labels = {"app": "checkout", "tier": "backend", "pod-template-hash": "7c9f8d6b5d", "release": "stable"}
    env = [EnvVar(name=f"SETTING_{i}", value=f"value-number-{i}-for-the-service") for i in range(8)]
    container = Container(
        name="checkout",
        image="registry.example.com/shop/checkout:1.24.3",
        command=["/bin/checkout"],
        args=["--port=8080", "--log-level=info", "--metrics"],
        env=env,
        ports=[
            ContainerPort(name="http", container_port=8080),
            ContainerPort(name="metrics", container_port=9090),
        ],
        resources=ResourceRequirements(
            requests={"cpu": "250m", "memory": "256Mi"}, limits={"cpu": "1", "memory": "512Mi"}
        ),
        volume_mounts=[VolumeMount(name="config", mount_path="/etc/checkout", read_only=True)],
        readiness_probe=Probe(http_get=HTTPGetAction(path="/healthz", port=8080), period_seconds=5),
        liveness_probe=Probe(http_get=HTTPGetAction(path="/livez", port=8080), initial_delay_seconds=10),
    )
    owner = OwnerReference(
        api_version="apps/v1",
        kind="ReplicaSet",
        name="checkout-7c9f8d6b5d",
        uid="5a0b3c1e-2d4f-4b6a-8c7d-9e0f1a2b3c4d",
        controller=True,
        block_owner_deletion=True,
    )
    return Pod(
        metadata=ObjectMeta(
            name=name,
            namespace=namespace,
            labels=labels,
            annotations={"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            owner_references=[owner],
        ),
        spec=PodSpec(
            containers=[container],
            volumes=[Volume(name="config", config_map=ConfigMapVolumeSource(name="checkout-config"))],
            service_account_name="checkout",
            node_selector={"disk": "ssd"},
        ),
    )
