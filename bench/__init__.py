"""Benchmarks, run as `python -m bench NAME` from the repo root. Each prints a final JSON line.

Benchmarks are never tests: they measure, they do not assert. Each reports its figure next to the
matching raw baseline measured in the same run on the same machine.
"""
