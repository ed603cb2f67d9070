"""How CRI metadata is written into Docker labels and read back.

Contract: every container this backend creates carries `io.kubelite.*` labels that name the runtime
that made it (`runtime`), its kind (`sandbox` or `container`), its pod (uid, name, namespace, sandbox
attempt), and for app containers their name, attempt, sandbox id and the image as requested. So the
whole CRI state can be rebuilt from the daemon alone (after a restart of kubelite), and several
runtimes (kubelets) can share one daemon without seeing each other's containers.

The CRI labels of a sandbox or container are stored as Docker labels under their own keys (so CRI
label selectors become daemon-side label filters); annotations are stored under
`io.kubelite.annotation.<key>`. CRI labels whose keys start with `io.kubelite.` are reserved and are
not read back. `docker_name` builds the Docker container name (unique per pod uid, container name
and attempt, so a duplicate create is refused by the daemon).
"""

from __future__ import annotations

import re

from kubelite.cri.container import ContainerConfig, ContainerMetadata
from kubelite.cri.sandbox import PodSandboxConfig, PodSandboxMetadata

PREFIX = "io.kubelite."
RUNTIME = PREFIX + "runtime"
KIND = PREFIX + "kind"
POD_UID = PREFIX + "pod.uid"
POD_NAME = PREFIX + "pod.name"
POD_NAMESPACE = PREFIX + "pod.namespace"
POD_ATTEMPT = PREFIX + "pod.attempt"
HOST_NETWORK = PREFIX + "pod.host-network"
CONTAINER_NAME = PREFIX + "container.name"
CONTAINER_ATTEMPT = PREFIX + "container.attempt"
SANDBOX_ID = PREFIX + "sandbox.id"
IMAGE = PREFIX + "image"
ANNOTATION = PREFIX + "annotation."

SANDBOX = "sandbox"
CONTAINER = "container"

_UNSAFE = re.compile(r"[^a-zA-Z0-9_.-]")


def sandbox_labels(runtime: str, config: PodSandboxConfig) -> dict[str, str]:
    meta = config.metadata
    own = {
        RUNTIME: runtime,
        KIND: SANDBOX,
        POD_UID: meta.uid,
        POD_NAME: meta.name,
        POD_NAMESPACE: meta.namespace,
        POD_ATTEMPT: str(meta.attempt),
        HOST_NETWORK: "true" if config.host_network else "false",
    }
    return {**_user(config.labels, config.annotations), **own}


def container_labels(
    runtime: str, sandbox_id: str, config: ContainerConfig, sandbox: PodSandboxConfig
) -> dict[str, str]:
    own = {
        RUNTIME: runtime,
        KIND: CONTAINER,
        POD_UID: sandbox.metadata.uid,
        POD_NAME: sandbox.metadata.name,
        POD_NAMESPACE: sandbox.metadata.namespace,
        SANDBOX_ID: sandbox_id,
        CONTAINER_NAME: config.metadata.name,
        CONTAINER_ATTEMPT: str(config.metadata.attempt),
        IMAGE: config.image,
    }
    return {**_user(config.labels, config.annotations), **own}


def _user(labels: dict[str, str], annotations: dict[str, str]) -> dict[str, str]:
    found = {key: value for key, value in labels.items() if not key.startswith(PREFIX)}
    found.update({ANNOTATION + key: value for key, value in annotations.items()})
    return found


def user_labels(labels: dict[str, str]) -> dict[str, str]:
    """The CRI labels among a container's Docker labels."""
    return {key: value for key, value in labels.items() if not key.startswith(PREFIX)}


def user_annotations(labels: dict[str, str]) -> dict[str, str]:
    """The CRI annotations stored among a container's Docker labels."""
    return {key[len(ANNOTATION) :]: value for key, value in labels.items() if key.startswith(ANNOTATION)}


def is_own(labels: dict[str, str], runtime: str, kind: str) -> bool:
    """Whether a Docker container with `labels` is a `kind` made by the runtime named `runtime`."""
    return labels.get(RUNTIME) == runtime and labels.get(KIND) == kind


def sandbox_metadata(labels: dict[str, str]) -> PodSandboxMetadata:
    return PodSandboxMetadata(
        name=labels.get(POD_NAME, ""),
        uid=labels.get(POD_UID, ""),
        namespace=labels.get(POD_NAMESPACE, ""),
        attempt=_int(labels.get(POD_ATTEMPT)),
    )


def container_metadata(labels: dict[str, str]) -> ContainerMetadata:
    return ContainerMetadata(name=labels.get(CONTAINER_NAME, ""), attempt=_int(labels.get(CONTAINER_ATTEMPT)))


def filters(
    runtime: str, kind: str, selector: dict[str, str], own: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Daemon-side list filters: this runtime's `kind`, the CRI label `selector`, and `own` labels."""
    pairs = {**selector, **(own or {}), RUNTIME: runtime, KIND: kind}
    return {"label": [f"{key}={value}" for key, value in pairs.items()]}


def docker_name(runtime: str, kind: str, pod: PodSandboxMetadata, container: ContainerMetadata | None) -> str:
    """`<runtime>_<kind>_<container>_<pod>_<namespace>_<uid>_<attempt>`, with characters Docker
    refuses replaced by `-` (the uid keeps the name unique)."""
    name, attempt = (container.name, container.attempt) if container else ("POD", pod.attempt)
    parts = (runtime, kind, name, pod.name, pod.namespace, pod.uid, str(attempt))
    return _UNSAFE.sub("-", "_".join(parts))


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
