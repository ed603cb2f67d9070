"""Security contexts: the container-level `SecurityContext` and the pod-level `PodSecurityContext`.

A reasonable subset of Kubernetes' fields (Linux only: no Windows options). All fields are Go
pointers, so "unset" stays distinct from `false`/0. Defaulting leaves container security contexts
untouched and sets an empty pod security context (`securityContext: {}`), as Kubernetes does.
"""

from __future__ import annotations

from kubelite.api.meta import Base


class Capabilities(Base):
    add: list[str] = []
    drop: list[str] = []


class SELinuxOptions(Base):
    user: str = ""
    role: str = ""
    type: str = ""
    level: str = ""


class SeccompProfile(Base):
    type: str
    localhost_profile: str | None = None


class AppArmorProfile(Base):
    type: str
    localhost_profile: str | None = None


class SecurityContext(Base):
    capabilities: Capabilities | None = None
    privileged: bool | None = None
    se_linux_options: SELinuxOptions | None = None
    run_as_user: int | None = None
    run_as_group: int | None = None
    run_as_non_root: bool | None = None
    read_only_root_filesystem: bool | None = None
    allow_privilege_escalation: bool | None = None
    proc_mount: str | None = None
    seccomp_profile: SeccompProfile | None = None
    app_armor_profile: AppArmorProfile | None = None


class Sysctl(Base):
    name: str
    value: str


class PodSecurityContext(Base):
    se_linux_options: SELinuxOptions | None = None
    run_as_user: int | None = None
    run_as_group: int | None = None
    run_as_non_root: bool | None = None
    supplemental_groups: list[int] = []
    supplemental_groups_policy: str | None = None
    fs_group: int | None = None
    sysctls: list[Sysctl] = []
    fs_group_change_policy: str | None = None
    seccomp_profile: SeccompProfile | None = None
    app_armor_profile: AppArmorProfile | None = None
