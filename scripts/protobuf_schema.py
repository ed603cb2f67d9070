"""Regenerate kubelite/apiserver/http/protobuf/schema_*.py from upstream's published API facts.

Usage: python scripts/protobuf_schema.py API_GIT_DIR APIMACHINERY_GIT_DIR && ruff format kubelite

Reads k8s.io/api and k8s.io/apimachinery (bare git directories, HEAD) for facts only: each message's
field numbers and proto types (generated.proto) and each Go field's JSON name, omitempty, pointer-ness
and inline embedding (the struct tags in the package's .go files). Writes one compact table per API
group, holding only the messages reachable from the kinds kubelite decodes. Each field is one token
`json=number:type` followed by flags: `*` repeated, `!` keep a zero value (Go pointer or no
omitempty), `^` inlined into the parent's JSON. A map type is written `{value}` (keys are strings).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGES = {
    "core": ("api", "core/v1"),
    "apps": ("api", "apps/v1"),
    "batch": ("api", "batch/v1"),
    "policy": ("api", "policy/v1"),
    "coordination": ("api", "coordination/v1"),
    "discovery": ("api", "discovery/v1"),
    "autoscaling": ("api", "autoscaling/v1"),
    "authorization": ("api", "authorization/v1"),
    "meta": ("apimachinery", "pkg/apis/meta/v1"),
    "runtime": ("apimachinery", "pkg/runtime"),
    "resource": ("apimachinery", "pkg/api/resource"),
    "intstr": ("apimachinery", "pkg/util/intstr"),
}
PROTO_PACKAGES = {
    "k8s.io.api.core.v1": "core",
    "k8s.io.api.apps.v1": "apps",
    "k8s.io.api.batch.v1": "batch",
    "k8s.io.api.policy.v1": "policy",
    "k8s.io.api.coordination.v1": "coordination",
    "k8s.io.api.discovery.v1": "discovery",
    "k8s.io.api.autoscaling.v1": "autoscaling",
    "k8s.io.api.authorization.v1": "authorization",
    "k8s.io.apimachinery.pkg.apis.meta.v1": "meta",
    "k8s.io.apimachinery.pkg.runtime": "runtime",
    "k8s.io.apimachinery.pkg.api.resource": "resource",
    "k8s.io.apimachinery.pkg.util.intstr": "intstr",
}
ROOTS = [
    "core.Binding", "core.ConfigMap", "core.Endpoints", "core.Event", "core.Namespace",
    "core.Node", "core.Pod", "core.ReplicationController", "core.Secret", "core.Service",
    "apps.Deployment", "apps.ReplicaSet", "batch.Job", "coordination.Lease",
    "policy.PodDisruptionBudget", "policy.Eviction", "discovery.EndpointSlice",
    "autoscaling.Scale", "authorization.SelfSubjectAccessReview", "meta.DeleteOptions",
    "runtime.Unknown",
]  # fmt: skip
# Messages the decoder maps by hand (their JSON is not an object of their fields).
OPAQUE = {"meta.Time", "meta.MicroTime", "resource.Quantity", "intstr.IntOrString",
          "meta.FieldsV1", "runtime.RawExtension", "meta.Duration"}  # fmt: skip
FIELD = re.compile(r"^\s*(optional|repeated)\s+(\S+)\s+(\w+)\s*=\s*(\d+);")
MAP = re.compile(r"^\s*map<string,\s*(\S+)>\s+(\w+)\s*=\s*(\d+);")
GOFIELD = re.compile(r"^\t(\w+\s+)?([^\s`]+)\s+`([^`]*)`")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True).stdout


def qualify(name: str, group: str) -> str:
    if name.startswith("."):
        pkg, _, short = name[1:].rpartition(".")
        return f"{PROTO_PACKAGES.get(pkg, pkg)}.{short}"
    return name if "." in name and name.split(".")[0] in PACKAGES else f"{group}.{name}"


def proto_messages(repo: Path, path: str, group: str) -> dict[str, list[tuple[str, ...]]]:
    messages: dict[str, list[tuple[str, ...]]] = {}
    current: list[tuple[str, ...]] | None = None
    for line in git(repo, "show", f"HEAD:{path}/generated.proto").splitlines():
        if line.startswith("message "):
            current = messages.setdefault(f"{group}.{line.split()[1]}", [])
        elif line.startswith("}"):
            current = None
        elif current is not None and (m := FIELD.match(line)):
            label, typ, name, num = m.groups()
            current.append((name, num, qualify(typ, group) if typ[0].isupper() or "." in typ
                            else typ, "*" if label == "repeated" else ""))  # fmt: skip
        elif current is not None and (m := MAP.match(line)):
            typ, name, num = m.groups()
            value = qualify(typ, group) if typ[0].isupper() or "." in typ else typ
            current.append((name, num, "{" + value + "}", ""))
    return messages


def go_tags(repo: Path, path: str, group: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(message, proto name) -> (json name, flags) from the Go struct tags."""
    tags: dict[tuple[str, str], tuple[str, str]] = {}
    files = git(repo, "ls-tree", "--name-only", "HEAD", f"{path}/").split()
    struct = ""
    for file in files:
        if not file.endswith(".go") or file.endswith("_test.go") or "generated" in file:
            continue
        for line in git(repo, "show", f"HEAD:{file}").splitlines():
            if m := re.match(r"^type (\w+) struct \{", line):
                struct = f"{group}.{m.group(1)}"
            elif (m := GOFIELD.match(line)) and "protobuf:" in m.group(3):
                proto, json_name, flags = _tag(m.group(1), m.group(2), m.group(3))
                tags[(struct, proto)] = (json_name, flags)
    return tags


def _tag(name: str | None, gotype: str, tag: str) -> tuple[str, str, str]:
    proto = re.search(r'protobuf:"[^"]*name=(\w+)', tag)
    jm = re.search(r'json:"([^"]*)"', tag)
    jparts = (jm.group(1) if jm else "").split(",")
    flags = ""
    if "inline" in jparts[1:] or (name is None and not jparts[0]):
        flags += "^"
    if gotype.startswith("*") or "omitempty" not in jparts[1:]:
        flags += "!"
    fallback = gotype.lstrip("*").rpartition(".")[2]
    return (proto.group(1) if proto else fallback[:1].lower() + fallback[1:], jparts[0], flags)


def main(api: Path, machinery: Path) -> None:
    messages: dict[str, list[tuple[str, ...]]] = {}
    tags: dict[tuple[str, str], tuple[str, str]] = {}
    for group, (repo, path) in PACKAGES.items():
        root = api if repo == "api" else machinery
        messages.update(proto_messages(root, path, group))
        tags.update(go_tags(root, path, group))
    write(messages, tags, reachable(messages))


def reachable(messages: dict[str, list[tuple[str, ...]]]) -> list[str]:
    seen: list[str] = []
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        if name in seen or name in OPAQUE:
            continue
        seen.append(name)
        for _, _, typ, _ in messages[name]:
            inner = typ.strip("{}")
            if inner in messages:
                todo.append(inner)
    return seen


def write(
    messages: dict[str, list[tuple[str, ...]]],
    tags: dict[tuple[str, str], tuple[str, str]],
    seen: list[str],
) -> None:
    by_group: dict[str, list[str]] = {}
    for name in sorted(seen):
        by_group.setdefault(name.split(".")[0], []).append(_entry(name, messages[name], tags, set(messages)))
    out = Path(__file__).parent.parent / "kubelite/apiserver/http/protobuf"
    modules = []
    for group, entries in by_group.items():
        chunks = _chunks(entries)
        for part, chunk in enumerate(chunks, start=1):
            module = f"schema_{group}" if len(chunks) == 1 else f"schema_{group}_{part}"
            modules.append(module)
            (out / f"{module}.py").write_text(
                f'"""Message table for {group} (generated by scripts/protobuf_schema.py: facts from '
                f'upstream\'s\ngenerated.proto and Go struct tags; see `schema` for the format)."""\n\n'
                f"MESSAGES = {{\n{''.join(chunk)}}}\n"
            )
    imports = "".join(f"    {module},\n" for module in modules)
    (out / "tables.py").write_text(
        '"""Every generated message table (written by scripts/protobuf_schema.py)."""\n\n'
        f"from kubelite.apiserver.http.protobuf import (\n{imports})\n\n"
        f"MODULES = (\n{imports})\n"
    )


MAX_LINES = 330


def _chunks(entries: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for entry in entries:
        if sum(e.count("\n") for e in chunks[-1]) + entry.count("\n") > MAX_LINES:
            chunks.append([])
        chunks[-1].append(entry)
    return chunks


def _entry(
    name: str,
    fields: list[tuple[str, ...]],
    tags: dict[tuple[str, str], tuple[str, str]],
    known: set[str],
) -> str:
    text = _line(name, fields, tags, known)
    if len(name) + len(text) + 11 <= 100:
        return f'    "{name}": "{text}",\n'
    lines, current = [], ""
    for token in text.split(" "):
        if current and len(current) + len(token) + 1 > 86:
            lines.append(f'        "{current} "\n')
            current = token
        else:
            current = f"{current} {token}" if current else token
    lines.append(f'        "{current}"\n')
    return f'    "{name}": (\n{"".join(lines)}    ),\n'


def _line(
    name: str,
    fields: list[tuple[str, ...]],
    tags: dict[tuple[str, str], tuple[str, str]],
    known: set[str],
) -> str:
    tokens = []
    for proto, num, typ, rep in fields:
        if "." in typ and typ.strip("{}") not in known:
            continue  # a message of a package kubelite does not serve (alpha features)
        json_name, flags = tags.get((name, proto), (proto, ""))
        if "^" in flags or json_name == "-":
            json_name = proto
        tokens.append(f"{json_name or proto}={num}:{typ}{rep}{flags}")
    return " ".join(tokens)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
