#!/usr/bin/env python3
"""Benchmark ``policycheck run --dask``: overhead against ``--jobs`` and the client's memory.

Run from the repository root with the interpreter policycheck is installed in (with the
``dask`` extra):

    python bench/dask_scale.py                    # 10 MB corpus, 2 MB / 20 MB for memory, 3 runs
    python bench/dask_scale.py --size-mb 20 --runs 5 --workers 2

It starts a ``distributed.LocalCluster`` in a process of its own (worker processes, one thread
each, loopback only, no dashboard), so the cluster's memory never counts as the client's. The
corpus is the one ``bench/benchmark.py`` builds. Figures:

  overhead     median wall time of ``--dask ADDRESS`` over ``--jobs N`` (N = the cluster's
               workers) on the same corpus, both after one untimed run that warms the caches
               (compiled patterns) and the workers; runs are interleaved so both see the same load
  identical    whether the JSON reports of both are the same bytes
  client RSS   peak resident set of the ``policycheck run --dask`` process on a corpus of S MB
               and of 10 S MB: the client holds only the batches in flight, so it must not grow
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import (MB, REPO, RESULTS_ROOT, build_corpus, digest, load_average, measure,  # noqa: E402
                       median_of, policycheck_command)

_SERVE = """
import sys, time
from distributed import LocalCluster
if __name__ == "__main__":
    workers, address_file = int(sys.argv[1]), sys.argv[2]
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        with open(address_file, "w") as handle:
            handle.write(cluster.scheduler_address)
        sys.stdin.read()          # until the benchmark closes our standard input
"""


def start_cluster(workers: int, scratch: Path, env: dict) -> tuple[subprocess.Popen, str]:
    script = scratch / "serve_cluster.py"
    script.write_text(_SERVE, encoding="utf-8")
    address_file = scratch / "scheduler-address"
    process = subprocess.Popen([sys.executable, str(script), str(workers), str(address_file)],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, cwd=scratch)
    deadline = time.monotonic() + 180
    while not address_file.exists() or not address_file.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the LocalCluster did not start")
        time.sleep(0.2)
    time.sleep(0.5)
    return process, address_file.read_text().strip()


def run(corpus: Path, out: Path, policies: Path, extra: list[str], env: dict) -> dict:
    argv = policycheck_command() + ["run", str(policies), str(corpus), "-f", f"json:{out}", "-q", "--no-cache"] + extra
    return measure(argv, env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=10.0, help="corpus for the overhead (default 10)")
    parser.add_argument("--memory-mb", type=float, default=2.0, help="the 1x corpus for client memory (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="cluster workers, and the --jobs compared (default 2)")
    parser.add_argument("--policies", type=Path, default=REPO / "policies")
    args = parser.parse_args()

    RESULTS_ROOT.mkdir(parents=True, exist_ok=True)
    corpus, files, size = build_corpus(args.size_mb, f"{args.size_mb:g}mb")
    small, small_files, small_size = build_corpus(args.memory_mb, f"{args.memory_mb:g}mb")
    large, large_files, large_size = build_corpus(args.memory_mb * 10, f"{args.memory_mb * 10:g}mb")
    scratch = Path(tempfile.mkdtemp(prefix="policycheck-dask-bench-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(scratch / "xdg-cache"))
    env.pop("CI", None)
    print(f"policycheck --dask benchmark: {files} contracts, {size / MB:.1f} MB; {args.workers}-worker LocalCluster "
          f"against --jobs {args.workers}; {os.cpu_count()} cores; load average before: {load_average()}")
    results: dict = {"files": files, "bytes": size, "workers": args.workers, "runs": args.runs}
    cluster, address = start_cluster(args.workers, scratch, env)
    try:
        local_out, dask_out = scratch / "local.json", scratch / "dask.json"
        jobs = ["--jobs", str(args.workers)]
        dask = ["--dask", address]
        run(corpus, local_out, args.policies, jobs, env)    # untimed: compiles the patterns once
        run(corpus, dask_out, args.policies, dask, env)     # untimed: the workers import and compile once
        local_runs, dask_runs = [], []
        for _ in range(args.runs):
            local_runs.append(run(corpus, local_out, args.policies, jobs, env))
            dask_runs.append(run(corpus, dask_out, args.policies, dask, env))
        local_wall, dask_wall = median_of(local_runs, "wall"), median_of(dask_runs, "wall")
        identical = digest(local_out) == digest(dask_out)
        overhead = dask_wall / local_wall - 1
        results.update(local_wall=local_wall, dask_wall=dask_wall, overhead=overhead, identical=identical,
                       local_walls=[r["wall"] for r in local_runs], dask_walls=[r["wall"] for r in dask_runs])
        print(f"  --jobs {args.workers}: {local_wall:6.2f} s wall ({size / MB / local_wall:.2f} MB/s)")
        print(f"  --dask:   {dask_wall:6.2f} s wall ({size / MB / dask_wall:.2f} MB/s); overhead {overhead * 100:+.1f}%; "
              f"JSON output {'identical' if identical else 'DIFFERENT'}")

        memory = {}
        for name, path, count, bytes_ in (("1x", small, small_files, small_size),
                                          ("10x", large, large_files, large_size)):
            runs = [run(path, dask_out, args.policies, dask, env) for _ in range(args.runs)]
            memory[name] = {"files": count, "bytes": bytes_, "client_rss_mb": median_of(runs, "rss_mb")}
        results["client_memory"] = memory
        print(f"  client peak RSS: {memory['1x']['client_rss_mb']:.0f} MB on {small_files} contracts "
              f"({small_size / MB:.0f} MB), {memory['10x']['client_rss_mb']:.0f} MB on {large_files} contracts "
              f"({large_size / MB:.0f} MB)")
    finally:
        cluster.stdin.close()
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"load average after: {load_average()}")
    (RESULTS_ROOT / "dask_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
