"""Mutation scores with mutmut, one module at a time against its package's tests (`make mutation`).

Usage (from the repository root, with the test extra installed):

    .venv/bin/python scripts/mutation.py                       # every module in PURE_LOGIC, in turn
    .venv/bin/python scripts/mutation.py kubelite/api/labels.py --tests tests/api
    .venv/bin/python scripts/mutation.py --list                # the default modules and their tests

Contract: each module runs in its own scratch directory `.mutation/<module path>/` holding links to
the repository's `kubelite/` and `tests/` and a copy of `pyproject.toml` whose `[tool.mutmut]`
section is rewritten to mutate only that module (`only_mutate`) against only its tests
(`pytest_add_cli_args_test_selection`); every other `[tool.mutmut]` setting is kept. mutmut copies
both into `mutants/` there and never touches the working tree. Runs are fresh unless `--keep`
(then mutmut re-tests only what it has no result for). Hypothesis runs derandomized
(`KUBELITE_HYPOTHESIS_PROFILE=ci`) so a score does not depend on the examples drawn.

It prints one table row per module: mutants, killed (a test failed or timed out), survived, no tests
(no test in the selection runs the function), equivalent (survivors listed in
`tests/mutation/EQUIVALENT.md`: a backquoted mutant name followed by its reason), and the score
killed / (mutants − equivalent). Survivors not on that list are printed by name (`--show` prints
each one's diff; `--report` only reprints the table of earlier runs). Exit status 1 when a module
scores under `--min-score`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"
EQUIVALENT = ROOT / "tests" / "mutation" / "EQUIVALENT.md"
KUBELET_TESTS = ("tests/kubelet", "--ignore=tests/kubelet/test_docker_pods.py")

# The core's modules of pure logic, each with the tests of its package.
PURE_LOGIC: dict[str, tuple[str, ...]] = {
    "kubelite/store/history.py": ("tests/store",),
    "kubelite/kubelet/backoff.py": KUBELET_TESTS,
    "kubelite/kubelet/phase.py": KUBELET_TESTS,
    "kubelite/kubelet/conditions.py": KUBELET_TESTS,
    "kubelite/scheduler/plugins/noderesources.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/balancedallocation.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/nodeaffinity.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/nodename.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/nodeports.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/nodeunschedulable.py": ("tests/scheduler",),
    "kubelite/scheduler/plugins/tainttoleration.py": ("tests/scheduler",),
    "kubelite/workqueue/queue.py": ("tests/workqueue",),
    "kubelite/workqueue/delaying.py": ("tests/workqueue",),
    "kubelite/workqueue/limiters.py": ("tests/workqueue",),
    "kubelite/api/labels.py": ("tests/api",),
    "kubelite/api/fields.py": ("tests/api",),
    "kubelite/api/quantity.py": ("tests/api",),
    "kubelite/apiserver/patch/strategic.py": ("tests/apiserver",),
    "kubelite/apiserver/patch/merge.py": ("tests/apiserver",),
    "kubelite/apiserver/patch/jsonpatch.py": ("tests/apiserver",),
    "kubelite/apiserver/patch/pointer.py": ("tests/apiserver",),
    "kubelite/apiserver/patch/ordering.py": ("tests/apiserver",),
    "kubelite/apiserver/deletion.py": ("tests/apiserver",),
}

KILLED = {1, 3, 24, -24, 36, 152, 255}  # a test failed, pytest broke, or the mutant timed out
SURVIVED = {0}
NO_TESTS = {5, 33}
SECTION = re.compile(r"^\[tool\.mutmut\]\n(?:(?!\[).*\n)*", re.MULTILINE)
LISTED = re.compile(r"`(kubelite\.[^`\s]+__mutmut_\d+)`")


@dataclass
class Score:
    module: str
    exit_codes: dict[str, int | None] = field(default_factory=dict)
    equivalent: set[str] = field(default_factory=set)

    def names(self, codes: set[int]) -> list[str]:
        return sorted(name for name, code in self.exit_codes.items() if code in codes)

    @property
    def survivors(self) -> list[str]:
        return [name for name in self.names(SURVIVED | NO_TESTS) if name not in self.equivalent]

    @property
    def score(self) -> float:
        counted = len(self.exit_codes) - len(self.listed_survivors)
        return 100.0 * len(self.names(KILLED)) / counted if counted else 100.0

    @property
    def listed_survivors(self) -> list[str]:
        return [name for name in self.names(SURVIVED | NO_TESTS) if name in self.equivalent]


def scratch_dir(module: str) -> Path:
    return SCRATCH / module.removesuffix(".py").replace("/", ".")


def mutmut_section(module: str, tests: tuple[str, ...]) -> str:
    """The repository's `[tool.mutmut]` settings with this module and these tests."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {}).get("mutmut", {})
    settings = {**settings, "only_mutate": [module], "pytest_add_cli_args_test_selection": list(tests)}
    settings.setdefault("source_paths", ["kubelite"])
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    return "[tool.mutmut]\n" + "\n".join(lines) + "\n"


def prepare(module: str, tests: tuple[str, ...], keep: bool) -> Path:
    work = scratch_dir(module)
    if work.exists() and not keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("kubelite", "tests"):
        link = work / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=True)
    text = SECTION.sub("", (ROOT / "pyproject.toml").read_text()).rstrip("\n")
    (work / "pyproject.toml").write_text(text + "\n\n" + mutmut_section(module, tests))
    return work


def run_mutmut(work: Path, jobs: int, verbose: bool) -> None:
    env = {**os.environ, "KUBELITE_HYPOTHESIS_PROFILE": "ci"}
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(jobs)]
    output = None if verbose else subprocess.DEVNULL
    result = subprocess.run(command, cwd=work, env=env, stdout=output, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"mutmut failed in {work} (exit {result.returncode}); rerun with --verbose")


def load_score(module: str, work: Path, equivalent: set[str]) -> Score:
    meta = work / "mutants" / (module + ".meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    return Score(module, codes, equivalent)


def listed_equivalents() -> set[str]:
    return set(LISTED.findall(EQUIVALENT.read_text())) if EQUIVALENT.exists() else set()


def print_table(scores: list[Score]) -> None:
    counts = f"{'mutants':>7} {'killed':>6} {'survived':>8} {'no tests':>8} {'equiv':>5} {'score':>6}"
    print(f"{'module':<48} {counts}")
    for s in scores:
        survived, no_tests = len(s.names(SURVIVED)), len(s.names(NO_TESTS))
        print(
            f"{s.module:<48} {len(s.exit_codes):>7} {len(s.names(KILLED)):>6} {survived:>8} "
            f"{no_tests:>8} {len(s.listed_survivors):>5} {s.score:>5.1f}%"
        )
    for s in scores:
        for name in s.survivors:
            print(f"survivor: {name}")


def show_survivors(scores: list[Score]) -> None:
    """Print each unlisted survivor's diff (`mutmut show` in the module's scratch directory)."""
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    for s in scores:
        for name in s.survivors:
            subprocess.run([mutmut, "show", name], cwd=scratch_dir(s.module), check=False)


def tests_for(module: str, given: list[str] | None) -> tuple[str, ...]:
    if given:
        return tuple(given)
    if module in PURE_LOGIC:
        return PURE_LOGIC[module]
    package = Path(module).parts[1]
    return (f"tests/{package}",)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/mutation.py", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: every PURE_LOGIC module)")
    parser.add_argument("--tests", nargs="+", help="pytest paths or options (default: the package's tests)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (mutmut --max-children)")
    parser.add_argument("--keep", action="store_true", help="reuse earlier results in .mutation/")
    parser.add_argument("--report", action="store_true", help="only print the table of earlier runs")
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 when a module scores below")
    parser.add_argument("--show", action="store_true", help="print the diff of each unlisted survivor")
    parser.add_argument("--list", action="store_true", help="print the default modules and their tests")
    parser.add_argument("--verbose", action="store_true", help="show mutmut's output")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    if args.list:
        for module, tests in PURE_LOGIC.items():
            print(module, " ".join(tests))
        return 0
    equivalent, scores = listed_equivalents(), []
    for module in args.modules or list(PURE_LOGIC):
        if not (ROOT / module).is_file():
            raise SystemExit(f"no such module: {module}")
        work = scratch_dir(module)
        if not args.report:
            print(f"mutating {module} against {' '.join(tests_for(module, args.tests))}", flush=True)
            work = prepare(module, tests_for(module, args.tests), args.keep)
            run_mutmut(work, args.jobs, args.verbose)
        scores.append(load_score(module, work, equivalent))
    print_table(scores)
    if args.show:
        show_survivors(scores)
    return 1 if any(s.score < args.min_score for s in scores) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
