"""Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`), decoded to JSON.

kubectl's typed clients send protobuf for `create namespace|configmap|secret|deployment|job|service`,
`auth can-i` and drain's DELETE fallback, and never retry with JSON. `decode(body)` reads the
`k8s\\x00` + runtime.Unknown envelope and returns the object exactly as Kubernetes' JSON encoding of
it would be (see `tojson`), for every built-in kind kubelite serves plus DeleteOptions, Eviction,
Scale and SelfSubjectAccessReview. `encode(obj)` is its inverse (used by tests; responses stay
JSON). Malformed bodies and unknown kinds raise `ProtobufError`. The wire format is the `protobuf`
package's, driven by descriptors built at import from the field tables in `schema_*.py`.
"""

from kubelite.apiserver.http.protobuf.decode import decode
from kubelite.apiserver.http.protobuf.encode import encode
from kubelite.apiserver.http.protobuf.errors import ProtobufError

__all__ = ["ProtobufError", "decode", "encode"]
