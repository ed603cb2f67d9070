"""Strategic merge patch on the real kinds, with the exact bodies kubectl 1.32 sends
(shared/reference/kubectl-wire.md) and the examples of the Kubernetes task "Update API Objects in
Place Using kubectl patch". Each test goes typed object → builtins → patch → typed object.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import msgspec

from kubelite.api.apps import Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment
from kubelite.api.core import (
    Container,
    ContainerPort,
    EnvVar,
    Node,
    Pod,
    PodSpec,
    PodTemplateSpec,
    Toleration,
    Volume,
    VolumeMount,
)
from kubelite.api.meta import LabelSelector, ObjectMeta, OwnerReference
from kubelite.apiserver.patch import MERGE_PATCH, STRATEGIC_MERGE_PATCH, apply_patch

T = TypeVar("T", bound=msgspec.Struct)


def patched(obj: T, body: bytes | dict[str, Any], content_type: str = STRATEGIC_MERGE_PATCH) -> T:
    """Patch a typed object as the apiserver does, checking the stored form is left alone."""
    doc = msgspec.to_builtins(obj)
    before = copy.deepcopy(doc)
    result = apply_patch(doc, body, content_type, type(obj))
    assert doc == before
    return msgspec.convert(result, type(obj))


def patch_demo(image: str = "nginx") -> Deployment:
    """The Deployment of the docs' exercise (deployment-patch.yaml)."""
    return Deployment(
        metadata=ObjectMeta(name="patch-demo", namespace="default"),
        spec=DeploymentSpec(
            replicas=2,
            selector=LabelSelector(match_labels={"app": "nginx"}),
            template=PodTemplateSpec(
                metadata=ObjectMeta(labels={"app": "nginx"}),
                spec=PodSpec(
                    containers=[Container(name="patch-demo-ctr", image=image)],
                    tolerations=[Toleration(effect="NoSchedule", key="dedicated", value="test-team")],
                ),
            ),
        ),
    )


def test_kubectl_apply_update_body() -> None:
    last = '{"apiVersion":"apps/v1","kind":"Deployment"}\n'
    body = (
        b'{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":'
        + msgspec.json.encode(last)
        + b'}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"patch-demo-ctr"}],'
        b'"containers":[{"image":"busybox:1.36","name":"patch-demo-ctr"}]}}}}'
    )
    result = patched(patch_demo(), body)
    assert result.metadata.annotations == {"kubectl.kubernetes.io/last-applied-configuration": last}
    assert result.spec.template.spec.containers == [Container(name="patch-demo-ctr", image="busybox:1.36")]
    assert result.spec.template.spec.tolerations == patch_demo().spec.template.spec.tolerations
    assert result.spec.replicas == 2


def test_kubectl_set_image_body() -> None:
    body = (
        b'{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"patch-demo-ctr"}],'
        b'"containers":[{"image":"busybox:2","name":"patch-demo-ctr"}]}}}}'
    )
    assert patched(patch_demo(), body).spec.template.spec.containers[0].image == "busybox:2"


def test_kubectl_rollout_pause_resume_restart_bodies() -> None:
    paused = patched(patch_demo(), b'{"spec":{"paused":true}}')
    assert paused.spec.paused is True
    assert "paused" not in msgspec.to_builtins(patched(paused, b'{"spec":{"paused":null}}'))["spec"]
    restart = b'{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}'
    restarted = patched(patch_demo(), restart)
    assert restarted.spec.template.metadata.annotations == {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"
    }
    assert restarted.spec.template.metadata.labels == {"app": "nginx"}


def test_kubectl_cordon_and_uncordon_bodies() -> None:
    node = Node(metadata=ObjectMeta(name="node1"))
    cordoned = patched(node, b'{"spec":{"unschedulable":true}}')
    assert cordoned.spec.unschedulable is True
    assert patched(cordoned, b'{"spec":{"unschedulable":null}}').spec.unschedulable is False


def test_docs_strategic_patch_adds_a_container_and_replaces_tolerations() -> None:
    """Containers carry patchMergeKey name; tolerations have no patch strategy and are replaced."""
    result = patched(
        patch_demo(),
        {"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2", "image": "redis"}]}}}},
    )
    assert [(c.name, c.image) for c in result.spec.template.spec.containers] == [
        ("patch-demo-ctr-2", "redis"),
        ("patch-demo-ctr", "nginx"),
    ]
    tolerations = {
        "spec": {
            "template": {
                "spec": {"tolerations": [{"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]}
            }
        }
    }
    assert patched(result, tolerations).spec.template.spec.tolerations == [
        Toleration(effect="NoSchedule", key="disktype", value="ssd")
    ]


def test_docs_json_merge_patch_replaces_the_containers_list() -> None:
    body = {
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "patch-demo-ctr-3", "image": "gcr.io/google-samples/hello-app:2.0"}
                    ]
                }
            }
        }
    }
    result = patched(patch_demo(), body, MERGE_PATCH)
    assert result.spec.template.spec.containers == [
        Container(name="patch-demo-ctr-3", image="gcr.io/google-samples/hello-app:2.0")
    ]


def test_docs_retain_keys_switches_the_strategy_to_recreate() -> None:
    demo = patch_demo()
    demo.spec.strategy = DeploymentStrategy(
        type="RollingUpdate", rolling_update=RollingUpdateDeployment(max_surge="30%")
    )
    plain = patched(demo, {"spec": {"strategy": {"type": "Recreate"}}})
    assert plain.spec.strategy.rolling_update == RollingUpdateDeployment(max_surge="30%")
    retained = patched(demo, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})
    assert retained.spec.strategy == DeploymentStrategy(type="Recreate")


def web_pod() -> Pod:
    container = Container(
        name="web",
        image="busybox:1.36",
        env=[EnvVar(name="A", value="1"), EnvVar(name="B", value="2")],
        ports=[ContainerPort(container_port=80), ContainerPort(container_port=443)],
        volume_mounts=[
            VolumeMount(name="data", mount_path="/data"),
            VolumeMount(name="cfg", mount_path="/etc/app"),
        ],
    )
    return Pod(
        metadata=ObjectMeta(name="web", namespace="default", finalizers=["example.com/a"]),
        spec=PodSpec(containers=[container], volumes=[Volume(name="data"), Volume(name="cfg")]),
    )


def test_pod_container_lists_merge_by_their_keys() -> None:
    body = {
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "env": [{"name": "B", "value": "two"}],
                    "ports": [{"containerPort": 443, "name": "https"}],
                    "volumeMounts": [{"mountPath": "/etc/app", "name": "cfg", "readOnly": True}],
                }
            ]
        }
    }
    container = patched(web_pod(), body).spec.containers[0]
    assert container.env == [EnvVar(name="A", value="1"), EnvVar(name="B", value="two")]
    assert container.ports == [
        ContainerPort(container_port=80),
        ContainerPort(container_port=443, name="https"),
    ]
    assert container.volume_mounts == [
        VolumeMount(name="data", mount_path="/data"),
        VolumeMount(name="cfg", mount_path="/etc/app", read_only=True),
    ]
    assert container.image == "busybox:1.36"


def test_pod_patch_delete_and_replace_directives() -> None:
    deleted = patched(web_pod(), {"spec": {"volumes": [{"name": "data", "$patch": "delete"}]}})
    assert deleted.spec.volumes == [Volume(name="cfg")]
    replaced = patched(
        web_pod(), {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}
    )
    assert replaced.spec.containers == [Container(name="only", image="x")]
    env_deleted = patched(
        web_pod(), {"spec": {"containers": [{"name": "web", "env": [{"name": "A", "$patch": "delete"}]}]}}
    )
    assert env_deleted.spec.containers[0].env == [EnvVar(name="B", value="2")]


def test_finalizers_union_and_delete_from_primitive_list() -> None:
    added = patched(web_pod(), {"metadata": {"finalizers": ["example.com/b"]}})
    assert added.metadata.finalizers == ["example.com/b", "example.com/a"]
    body = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/a"]}}
    assert patched(added, body).metadata.finalizers == ["example.com/b"]


def test_owner_references_merge_by_uid() -> None:
    """The garbage collector patches away one ownerReference by uid."""
    pod = web_pod()
    pod.metadata.owner_references = [
        OwnerReference(api_version="apps/v1", kind="ReplicaSet", name="a", uid="1"),
        OwnerReference(api_version="apps/v1", kind="ReplicaSet", name="b", uid="2"),
    ]
    result = patched(pod, {"metadata": {"ownerReferences": [{"uid": "1", "$patch": "delete"}]}})
    assert [ref.uid for ref in result.metadata.owner_references] == ["2"]


def test_status_conditions_merge_by_type() -> None:
    demo = patch_demo()
    doc = msgspec.to_builtins(demo)
    doc["status"] = {
        "conditions": [{"type": "Available", "status": "False"}, {"type": "Progressing", "status": "True"}]
    }
    result = apply_patch(
        doc,
        {"status": {"conditions": [{"type": "Available", "status": "True"}]}},
        STRATEGIC_MERGE_PATCH,
        Deployment,
    )
    assert result["status"]["conditions"] == [
        {"type": "Available", "status": "True"},
        {"type": "Progressing", "status": "True"},
    ]
