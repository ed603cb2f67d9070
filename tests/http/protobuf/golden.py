"""Request bodies captured from the real kubectl v1.32 and the JSON it writes for the same objects.

Each entry: the command, the protobuf body kubectl sent (hex; recorded by a middleware in front of
kubelite's HTTP server) and `kubectl ... --dry-run=client -o json` for the same command, compact. The
namespace body is byte for byte the one in kubectl-transcripts/28-create-imperative-protobuf.txt.
kubectl's JSON writes a zero `creationTimestamp` as null; the decoder leaves it absent, so the
expected mappings drop nulls (`without_nulls`).
"""

from __future__ import annotations

from typing import Any

NAMESPACE = (
    "6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a003200380042001200"
    "1a020a001a002200"
)

GOLDEN: dict[str, tuple[str, str]] = {
    "create namespace foo": (
        NAMESPACE,
        '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo","creationTimestamp":null},'
        '"spec":{},"status":{}}',
    ),
    "create configmap cm --from-literal=a=b --from-literal=c=d": (
        "6b3873000a0f0a0276311209436f6e6669674d617012240a120a02636d12001a0022002a003200380042001206"
        "0a016112016212060a01631201641a002200",
        '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm","creationTimestamp":null},'
        '"data":{"a":"b","c":"d"}}',
    ),
    "create secret generic sec --from-literal=user=admin --from-literal=pw=s3cr3t": (
        "6b3873000a0c0a027631120653656372657412340a130a0373656312001a0022002a0032003800420012"
        "0c0a0270771206733363723374120d0a0475736572120561646d696e1a001a002200",
        '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"sec","creationTimestamp":null},'
        '"data":{"pw":"czNjcjN0","user":"YWRtaW4="}}',
    ),
    "create deployment web --image=nginx:1.25 --replicas=3 --port=80": (
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bd010a1f0a0377656212001a0022002a00"
        "3200380042005a0a0a036170701203776562128b010803120c0a0a0a0361707012037765621a710a1c0a001200"
        "1a0022002a003200380042005a0a0a036170701203776562125112330a056e67696e78120a6e67696e783a312e"
        "32352a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a00520058"
        "00600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
        '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":'
        'null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},'
        '"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":'
        '{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}],'
        '"resources":{}}]}},"strategy":{}},"status":{}}',
    ),
    "create job pi --image=busybox -- echo hi": (
        "6b3873000a0f0a0862617463682f763112034a6f621284010a120a02706912001a0022002a00320038004200"
        "126432620a100a0012001a0022002a00320038004200124e122b0a027069120762757379626f781a046563686f"
        "1a0268692a0042006a007200800100880100900100a201001a054e65766572320042004a005200580060006800"
        "8201008a01009a0100c201001a082000280030003a001a002200",
        '{"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pi","creationTimestamp":null},'
        '"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":'
        '"pi","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},'
        '"status":{}}',
    ),
    "create service clusterip svc --tcp=80:8080": (
        "6b3873000a0d0a02763112075365727669636512690a1f0a0373766312001a0022002a00320038004200"
        "5a0a0a03617070120373766312420a1b0a0738302d38303830120354435018502207080010903f1a002800120a"
        "0a0361707012037376631a002209436c757374657249503a00420052005a00600068001a020a001a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"svc","creationTimestamp":null,'
        '"labels":{"app":"svc"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,'
        '"targetPort":8080}],"selector":{"app":"svc"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}',
    ),
    # `auth can-i` has no --dry-run; this is the object client-go builds (status.allowed has no
    # omitempty, so JSON shows false).
    "auth can-i create pods": (
        "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374"
        "416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c74"
        "12066372656174651a0022002a04706f647332003a001a08080012001a0020001a002200",
        '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":'
        '{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":'
        '"create","resource":"pods"}},"status":{"allowed":false}}',
    ),
    # drain's DELETE fallback (`--disable-eviction`, or eviction unsupported): client-go's
    # DeleteOptions under "v1"; kubectl has no --dry-run for it, so its JSON is written out.
    "drain n1 --disable-eviction --force --grace-period=7": (
        "6b3873000a130a027631120d44656c6574654f7074696f6e73120208071a002200",
        '{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":7}',
    ),
}


def without_nulls(value: Any) -> Any:
    """`value` with every null-valued key removed, recursively."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value
