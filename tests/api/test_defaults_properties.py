"""Properties of pod defaulting over generated pods (KUB-1, KUB-2, NODE-10).

Whatever the pod, after `apply_defaults`: every container has a pull policy consistent with its
image tag, every port a protocol, every limited resource a request, the NODE-10 taints are
tolerated exactly once unless already tolerated, and a second pass changes nothing.
"""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import Container, ContainerPort, Pod, PodSpec, ResourceRequirements, Toleration
from kubelite.api.defaults import apply_defaults
from kubelite.api.meta import ObjectMeta

NODE10 = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")

images = st.builds(
    lambda repo, tag, digest: repo + (f":{tag}" if tag else "") + (f"@sha256:{'d' * 64}" if digest else ""),
    st.sampled_from(["nginx", "library/busybox", "localhost:5000/app", "registry.example.com/a/b"]),
    st.sampled_from(["", "latest", "1.25", "v2"]),
    st.booleans(),
)
quantities = st.dictionaries(
    st.sampled_from(["cpu", "memory", "example.com/gpu"]), st.sampled_from(["1", "250m", "1Gi"])
)
ports = st.builds(
    ContainerPort,
    container_port=st.integers(1, 65535),
    host_port=st.sampled_from([0, 8080]),
    protocol=st.sampled_from(["", "TCP", "UDP", "SCTP"]),
)
containers = st.builds(
    Container,
    name=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    image=images,
    image_pull_policy=st.sampled_from(["", "Never"]),
    ports=st.lists(ports, max_size=3),
    resources=st.builds(ResourceRequirements, limits=quantities, requests=quantities),
)
tolerations = st.builds(
    Toleration,
    key=st.sampled_from(["", *NODE10, "dedicated"]),
    operator=st.sampled_from(["Exists", "Equal"]),
    effect=st.sampled_from(["", "NoExecute", "NoSchedule"]),
)
pods = st.builds(
    lambda cs, inits, tols, host: Pod(
        metadata=ObjectMeta(name="p", namespace="default"),
        spec=PodSpec(containers=cs, init_containers=inits, tolerations=tols, host_network=host),
    ),
    st.lists(containers, min_size=1, max_size=3),
    st.lists(containers, max_size=2),
    st.lists(tolerations, max_size=3),
    st.booleans(),
)


def _tolerated(pod: Pod, taint: str) -> int:
    return sum(t.key in ("", taint) and t.effect in ("", "NoExecute") for t in pod.spec.tolerations)


@given(pods)
def test_pod_defaults_invariants(pod: Pod) -> None:
    sent = msgspec.structs.replace(pod, spec=msgspec.json.decode(msgspec.json.encode(pod.spec), type=PodSpec))
    apply_defaults(pod, creating=True)
    for container, original in zip(
        (*pod.spec.init_containers, *pod.spec.containers),
        (*sent.spec.init_containers, *sent.spec.containers),
        strict=True,
    ):
        tagless = "@" not in container.image and ":" not in container.image.rsplit("/", 1)[-1]
        latest = container.image.split("@")[0].endswith(":latest") or tagless
        expected = original.image_pull_policy or ("Always" if latest else "IfNotPresent")
        assert container.image_pull_policy == expected
        assert all(port.protocol for port in container.ports)
        assert set(container.resources.limits) <= set(container.resources.requests)
        assert all(container.resources.requests[k] == v for k, v in original.resources.requests.items())
        if pod.spec.host_network:
            assert all(port.host_port for port in container.ports)
    for taint in NODE10:
        assert _tolerated(pod, taint) == max(1, _tolerated(sent, taint))
    once = msgspec.json.encode(pod)
    apply_defaults(pod, creating=False)
    assert msgspec.json.encode(pod) == once
