"""`python -m bench NAME [args]`: run one benchmark module's `main`."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "api",
    "endpoints",
    "events",
    "informer",
    "job",
    "kubelet",
    "scheduler",
    "services",
    "stack",
    "store",
    "workqueue",
)


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in BENCHMARKS:
        print(f"usage: python -m bench {{{','.join(BENCHMARKS)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{argv[0]}")
    result: int = module.main(argv[1:])
    return result


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
