"""The autoscaling group, version v1: the Scale subresource payload."""

from kubelite.api.autoscaling.scale import Scale, ScaleSpec, ScaleStatus

__all__ = ["Scale", "ScaleSpec", "ScaleStatus"]
