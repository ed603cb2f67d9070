"""The coordination.k8s.io group, version v1: Lease."""

from kubelite.api.coordination.lease import Lease, LeaseSpec

__all__ = ["Lease", "LeaseSpec"]
