"""Subresources with their own payload kinds: scale (autoscaling/v1 Scale), binding, eviction."""
