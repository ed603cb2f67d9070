"""GET `/version`: the Kubernetes version this server speaks (minor "32", for kubectl's dispatcher)."""

from __future__ import annotations

import platform
import sys

from kubelite.apiserver.http.settings import HTTPSettings


def version_info(settings: HTTPSettings) -> dict[str, str]:
    major, minor, *_ = settings.git_version.lstrip("v").split(".")
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return {
        "major": major,
        "minor": minor,
        "gitVersion": settings.git_version,
        "gitCommit": "kubelite",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": f"python{sys.version_info.major}.{sys.version_info.minor}",
        "compiler": "cpython",
        "platform": f"{sys.platform}/{arch}",
    }
