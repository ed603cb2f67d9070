"""NodeAffinity: `nodeSelector` and required node affinity (filter, SCH-4), preferred node
affinity (score, SCH-7).

Matching: every `nodeSelector` pair must be among the node's labels. Required terms are ORed and a
term's requirements ANDed; an empty term list, or a term with no requirements, matches nothing.
Label operators: `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`/`Lt` (exactly one integer value,
compared with the label read as an integer; anything unparsable does not match). `matchFields`
supports `metadata.name` with `In`/`NotIn` and one value; any other field requirement fails the
term. The score is the sum of the weights of matching preferred terms, normalised to 0–100.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.api.core import NodeSelector, NodeSelectorRequirement, NodeSelectorTerm
from kubelite.scheduler.framework import Reasons, normalize
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

MISMATCH = ("node(s) didn't match Pod's node affinity/selector",)


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def match_requirement(req: NodeSelectorRequirement, labels: dict[str, str]) -> bool:
    op, present = req.operator, req.key in labels
    if op == "In":
        return present and labels[req.key] in req.values
    if op == "NotIn":
        return not present or labels[req.key] not in req.values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt") and present and len(req.values) == 1:
        have, bound = _integer(labels[req.key]), _integer(req.values[0])
        if have is None or bound is None:
            return False
        return have > bound if op == "Gt" else have < bound
    return False


def match_field(req: NodeSelectorRequirement, node_name: str) -> bool:
    if req.key != "metadata.name" or len(req.values) != 1:
        return False
    if req.operator == "In":
        return node_name == req.values[0]
    if req.operator == "NotIn":
        return node_name != req.values[0]
    return False


def match_term(term: NodeSelectorTerm, node: NodeInfo) -> bool:
    if not term.match_expressions and not term.match_fields:
        return False
    labels = node.labels
    return all(match_requirement(r, labels) for r in term.match_expressions) and all(
        match_field(r, node.name) for r in term.match_fields
    )


def match_node_selector(selector: NodeSelector, node: NodeInfo) -> bool:
    return any(match_term(term, node) for term in selector.node_selector_terms)


def matches(pod: PodInfo, node: NodeInfo) -> bool:
    labels = node.labels
    for key, value in pod.node_selector.items():
        if labels.get(key) != value:
            return False
    return pod.required is None or match_node_selector(pod.required, node)


class NodeAffinity:
    name = "NodeAffinity"
    restricted_nodes_only = False
    weight = 2

    def relevant(self, pod: PodInfo) -> bool:
        return bool(pod.node_selector) or pod.required is not None

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        return None if matches(pod, node) else MISMATCH

    def score(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int] | None:
        if not pod.preferred:
            return None
        totals = [
            sum(term.weight for term in pod.preferred if match_term(term.preference, node)) for node in nodes
        ]
        return normalize(totals)
