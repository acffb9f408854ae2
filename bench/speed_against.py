#!/usr/bin/env python3
"""Speed of this version next to another one: ``run`` throughput and start-up, measured alike.

    python bench/speed_against.py OTHER_SOURCE_TREE                  # bench/corpus/2mb, 3 runs
    python bench/speed_against.py OTHER_SOURCE_TREE --corpus DIR --runs 5

OTHER_SOURCE_TREE is a checkout of another version (``git archive REV | tar -x -C DIR``). Each
version runs in its own tree (see compare_facts.py) with its own shipped policies; every figure
is the median of --runs runs, in CPU seconds of the processes (user + system), which other
load on a shared machine disturbs less than the wall clock (wall seconds are printed too):

  run -j1 / -j2   ``policycheck run policies CORPUS -q --no-cache`` in one and in two processes
  bare            ``python -c "import lark, yaml, click, jinja2"``
  warm start-up   ``run`` on one small example contract, caches warm
  cold start-up   the same with an empty cache directory (XDG_CACHE_HOME): everything derived
                  from the data files and compiled anew

The corpus is built by bench/benchmark.py (``python bench/benchmark.py --size-mb 2`` makes
bench/corpus/2mb).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compare_facts import tree_environment

HERE = Path(__file__).resolve().parent.parent
SMALL_CONTRACT = HERE / "examples" / "repo" / "contracts" / "drafts" / "acme-draft.txt"


def _measure(command: list[str], environment: dict, cwd: Path) -> tuple[float, float]:
    """(CPU seconds of the child processes, wall seconds) of one run."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, env=environment, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def _median(command: list[str], environment: dict, cwd: Path, runs: int, cold: bool = False) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        if cold:
            with tempfile.TemporaryDirectory(prefix="policycheck-cold-") as cache:
                samples.append(_measure(command, dict(environment, XDG_CACHE_HOME=cache), cwd))
        else:
            samples.append(_measure(command, environment, cwd))
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def figures(tree: Path, corpus: Path, runs: int) -> dict[str, tuple[float, float]]:
    environment = tree_environment(tree)
    # Byte-code written first, as an installed package has it: a tree that Python may not write
    # it into (PYTHONDONTWRITEBYTECODE) would compile every module in every timed run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "policycheck")], env=environment,
                   cwd=tree, stdout=subprocess.DEVNULL, check=False)
    run = [sys.executable, "-m", "policycheck", "run", str(tree / "policies")]
    found = {}
    for jobs in ("1", "2"):
        found[f"run -j{jobs}"] = _median(run + [str(corpus), "-q", "--no-cache", "-j", jobs], environment, tree, runs)
    found["bare"] = _median([sys.executable, "-c", "import lark, yaml, click, jinja2"], environment, tree, runs * 3)
    small = run + [str(SMALL_CONTRACT), "-q"]
    _measure(small, environment, tree)                          # warms the caches
    found["warm start-up"] = _median(small, environment, tree, runs * 3)
    found["cold start-up"] = _median(small, environment, tree, runs * 3, cold=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="source tree of the version to compare with")
    parser.add_argument("--corpus", type=Path, default=HERE / "bench" / "corpus" / "2mb")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}: python bench/benchmark.py --size-mb 2 builds bench/corpus/2mb")
    corpus = args.corpus.resolve()
    size = sum(path.stat().st_size for path in corpus.rglob("*") if path.is_file()) / 1e6
    print(f"corpus {corpus.name}: {size:.1f} MB; CPU s (wall s), median of {args.runs} runs "
          f"(start-up: of {args.runs * 3}); load average {os.getloadavg()[0]:.2f}")
    results = {label: figures(tree.resolve(), corpus, args.runs) for label, tree in (("this", HERE),
                                                                                   ("other", args.other))}
    print(f"  {'':16}{'this version':>22}{'other version':>22}")
    for name in results["this"]:
        cells = []
        for label in ("this", "other"):
            cpu, wall = results[label][name]
            ratio = f" {cpu / results[label]['bare'][0]:.2f}x" if "start-up" in name else ""
            cells.append(f"{cpu:.3f} ({wall:.2f}){ratio}")
        print(f"  {name:16}{cells[0]:>22}{cells[1]:>22}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
