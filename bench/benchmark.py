#!/usr/bin/env python3
"""Benchmark ``policycheck run``: throughput, scaling with --jobs, memory, start-up, warm cache.

Run from the repository root with the interpreter policycheck is installed in:

    python bench/benchmark.py                 # 10 MB corpus, 5 runs per figure
    python bench/benchmark.py --runs 9 --size-mb 20

The corpus is built from the project's example contracts and, when present, the sample
contracts in ../shared/seeds, replicated until it holds at least --size-mb of text with about a
third of it Chinese. Each copy ends with its own reference line, so no two files are identical
(a content cache cannot short-cut the cold runs). The corpus goes to bench/corpus/ and results to
bench/results/ (both git-ignored). Every figure is the median of --runs runs; the machine's load
is printed next to them because other processes skew timings.

Figures:
  MB/s per core      corpus megabytes / wall seconds / jobs (target: at least 10)
  MB per CPU second  corpus megabytes / (user + system seconds of all processes): less
                     sensitive to other load on the machine than wall time
  contracts/s        files / wall seconds
  peak RSS           largest resident set of any one policycheck process of the run
  start-up           one small contract, next to ``python -c "import lark, yaml, click, jinja2"``
                     measured in the same run (target: at most 1.5x)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_ROOT = REPO / "bench" / "corpus"
RESULTS_ROOT = REPO / "bench" / "results"
SEEDS = REPO.parent / "shared" / "seeds"
SOURCES = [REPO / "examples", SEEDS]
SUFFIXES = (".txt", ".md")
BARE_IMPORTS = "import lark, yaml, click, jinja2"
MB = 1_000_000


# --- corpus -----------------------------------------------------------------------------------

def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _chinese_share(text: str) -> float:
    """Share of the text's letters that are Chinese characters."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return cjk / (cjk + latin) if cjk + latin else 0.0


def source_contracts() -> list[tuple[Path, bytes, bool]]:
    """(path, bytes, mostly Chinese) of every source contract, sorted by path."""
    found = []
    for root in SOURCES:
        if not root.is_dir():
            print(f"note: {root} is absent; building the corpus without it", file=sys.stderr)
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                data = path.read_bytes()
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    continue
                found.append((path, data, _chinese_share(text) >= 0.5))
    if not found:
        raise SystemExit("no source contracts found (examples/ is empty?)")
    return found


def build_corpus(size_mb: float, name: str) -> tuple[Path, int, int]:
    """Write (or reuse) a corpus of at least size_mb MB; returns (dir, files, bytes)."""
    sources = source_contracts()
    zh = [s for s in sources if s[2]]
    en = [s for s in sources if not s[2]]
    stamp = json.dumps({"size_mb": size_mb, "sources": [(str(p), len(d)) for p, d, _ in sources]})
    target = CORPUS_ROOT / name
    manifest = target / ".manifest.json"
    if manifest.is_file() and manifest.read_text(encoding="utf-8") == stamp:
        files = [p for p in target.rglob("*") if p.suffix in SUFFIXES]
        return target, len(files), sum(p.stat().st_size for p in files)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    total = zh_bytes = copies = 0
    en_index = zh_index = 0
    while total < size_mb * MB:
        # Keep Chinese contracts at about a third of the bytes written so far.
        take_zh = zh and (not en or zh_bytes < total / 3)
        if take_zh:
            path, data, _ = zh[zh_index % len(zh)]
            zh_index += 1
            tail = f"\n（参考编号 BENCH-{copies:06d}）\n"
        else:
            path, data, _ = en[en_index % len(en)]
            en_index += 1
            tail = f"\n(Reference BENCH-{copies:06d}.)\n"
        body = data + tail.encode("utf-8")
        folder = target / f"{copies // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{copies:06d}-{path.stem}{path.suffix}").write_bytes(body)
        total += len(body)
        zh_bytes += len(body) if take_zh else 0
        copies += 1
    manifest.write_text(stamp, encoding="utf-8")
    print(f"built {target.relative_to(REPO)}: {copies} contracts, {total / MB:.1f} MB, "
          f"{100 * zh_bytes / total:.0f}% in mostly-Chinese contracts", file=sys.stderr)
    return target, copies, total


# --- running and measuring --------------------------------------------------------------------

def policycheck_command() -> list[str]:
    script = Path(sys.executable).with_name("policycheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "policycheck"]


def measure(argv: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> dict:
    """Run argv; wall seconds, CPU seconds and peak RSS (MB) of it and its waited-for children."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}:\n{stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks. This process must stay small: a child's peak RSS as
    the kernel reports it is at least this process's own peak, which it inherits at fork."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def run_corpus(corpus: Path, jobs: int, runs: int, out: Path, policies: Path, extra: list[str],
               env: dict) -> list[dict]:
    argv = policycheck_command() + ["run", str(policies), str(corpus), "-f", f"json:{out}",
                                    "-q", "--jobs", str(jobs)] + extra
    return [measure(argv, env) for _ in range(runs)]


def startup(runs: int, contract: Path, policies: Path, env: dict, scratch: Path) -> dict:
    """Median wall and CPU seconds: bare imports; a quiet run (-q, the exit code only) and a run
    printing the text report (what a pre-commit hook shows) with warm caches (compiled large
    regexes, parsed policies and data files, compiled templates); a quiet run with every cache
    empty (a fresh cache directory each time).

    Python modules run from their compiled bytecode, as they do once pip has installed a
    package (pip compiles it at install time): PYTHONDONTWRITEBYTECODE is dropped from the
    environment and the first, untimed run writes the bytecode of a source checkout."""
    env = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    bare = [sys.executable, "-c", BARE_IMPORTS]
    quiet = policycheck_command() + ["run", str(policies), str(contract), "-q", "--jobs", "1"]
    text = policycheck_command() + ["run", str(policies), str(contract), "--jobs", "1"]
    samples: dict[str, list[dict]] = {"bare": [], "warm": [], "text": [], "cold": []}
    measure(quiet, env)   # fill the caches once (as the first run on a machine does)
    measure(text, env)
    for index in range(runs):   # interleaved, so all of them see the same load
        samples["bare"].append(measure(bare, env))
        samples["warm"].append(measure(quiet, env))
        samples["text"].append(measure(text, env))
        cold_env = dict(env, XDG_CACHE_HOME=str(scratch / f"cold-{index}"))
        samples["cold"].append(measure(quiet, cold_env))
    return {name: {"wall": median_of(runs_, "wall"), "cpu": median_of(runs_, "cpu")}
            for name, runs_ in samples.items()}


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=10.0, help="corpus size for throughput (default 10)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to time (default 1 2)")
    parser.add_argument("--memory-scale", type=int, default=10,
                        help="compare peak RSS on a corpus of size/SCALE and of size (default 10)")
    parser.add_argument("--policies", type=Path, default=REPO / "policies", help="policies to check (default: policies/)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["startup", "throughput", "memory", "cache"],
                        help="parts to leave out")
    args = parser.parse_args()

    RESULTS_ROOT.mkdir(parents=True, exist_ok=True)
    corpus, files, size = build_corpus(args.size_mb, f"{args.size_mb:g}mb")
    cpus = os.cpu_count() or 1
    print(f"policycheck benchmark: {files} contracts, {size / MB:.1f} MB, {cpus} cores, "
          f"python {sys.version.split()[0]}, load average before: {load_average()}")
    print(f"median of {args.runs} runs; command: {' '.join(policycheck_command())} run "
          f"{args.policies.relative_to(REPO) if args.policies.is_relative_to(REPO) else args.policies} "
          f"CORPUS -f json:OUT -q --jobs N --no-cache")
    results: dict = {"files": files, "bytes": size, "cpus": cpus, "runs": args.runs}
    scratch = Path(tempfile.mkdtemp(prefix="policycheck-bench-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(scratch / "xdg-cache"))
    env.pop("CI", None)
    try:
        # One untimed run first: it fills the (scratch) cache directory with the rule book and the
        # large regexes, as the first run on any machine does once; timed runs then measure checking.
        first = run_corpus(corpus, max(args.jobs), 1, RESULTS_ROOT / f"report-{corpus.name}-first.json", args.policies,
                           ["--no-cache"], env)[0]
        results["first_run"] = first
        print(f"  first run (fills the data and regex caches), -j {max(args.jobs)}: {first['wall']:.2f} s wall, "
              f"{first['cpu']:.2f} CPU-s")
        if "throughput" not in args.skip:
            outputs = {}
            for jobs in args.jobs:
                out = RESULTS_ROOT / f"report-{corpus.name}-j{jobs}.json"
                runs = run_corpus(corpus, jobs, args.runs, out, args.policies, ["--no-cache"], env)
                wall, cpu, rss = median_of(runs, "wall"), median_of(runs, "cpu"), median_of(runs, "rss_mb")
                results[f"j{jobs}"] = {"wall": wall, "cpu": cpu, "rss_mb": rss,
                                       "walls": [r["wall"] for r in runs]}
                outputs[jobs] = digest(out)
                print(f"  -j {jobs}: {wall:6.2f} s wall  {size / MB / wall / jobs:6.1f} MB/s per core  "
                      f"{size / MB / cpu:6.1f} MB per CPU-s  {files / wall:7.0f} contracts/s  "
                      f"peak RSS {rss:5.0f} MB")
            if 1 in outputs and len(outputs) > 1:
                for jobs, data in outputs.items():
                    if jobs != 1:
                        speedup = results["j1"]["wall"] / results[f"j{jobs}"]["wall"]
                        same = "identical" if data == outputs[1] else "DIFFERENT"
                        results[f"speedup_j{jobs}"] = speedup
                        print(f"  -j {jobs} vs -j 1: {speedup:.2f}x faster, JSON output {same}")

        if "memory" not in args.skip and args.memory_scale > 1:
            small, small_files, small_size = build_corpus(args.size_mb / args.memory_scale,
                                                          f"{args.size_mb / args.memory_scale:g}mb")
            out = RESULTS_ROOT / f"report-{corpus.name}-memory.json"
            rss_small = median_of(run_corpus(small, 1, args.runs, out, args.policies, ["--no-cache"], env), "rss_mb")
            rss_big = median_of(run_corpus(corpus, 1, args.runs, out, args.policies, ["--no-cache"], env), "rss_mb")
            results["memory"] = {"small_files": small_files, "small_rss_mb": rss_small,
                                 "files": files, "rss_mb": rss_big}
            print(f"  peak RSS -j 1: {rss_small:.0f} MB on {small_files} contracts, "
                  f"{rss_big:.0f} MB on {files} contracts ({args.memory_scale}x)")

        if "cache" not in args.skip:
            cache = scratch / "cache"
            out = RESULTS_ROOT / f"report-{corpus.name}-cache.json"
            run_corpus(corpus, 1, 1, out, args.policies, ["--cache", str(cache)], env)   # fill the cache
            warm = run_corpus(corpus, 1, args.runs, out, args.policies, ["--cache", str(cache)], env)
            results["warm_cache"] = {"wall": median_of(warm, "wall")}
            cold_out = RESULTS_ROOT / f"report-{corpus.name}-j1.json"
            same = digest(out) == digest(cold_out) if cold_out.exists() else None
            print(f"  warm cache -j 1: {median_of(warm, 'wall'):.2f} s wall "
                  f"({size / MB / median_of(warm, 'wall'):.1f} MB/s)"
                  + ("" if same is None else f", JSON output {'identical' if same else 'DIFFERENT'} to the cold run"))

        if "startup" not in args.skip:
            contract = min((p for p, _, _ in source_contracts() if p.is_relative_to(REPO)),
                           key=lambda p: p.stat().st_size)
            times = startup(max(args.runs, 7), contract, args.policies, env, scratch)
            results["startup"] = times
            bare = times["bare"]
            for name, label in (("warm", "-q, warm caches"), ("text", "text report, warm caches"),
                                ("cold", "-q, empty caches")):
                print(f"  start-up on {contract.relative_to(REPO)}, {label}: {times[name]['wall'] * 1000:.0f} ms wall "
                      f"({times[name]['wall'] / bare['wall']:.2f}x the bare imports' {bare['wall'] * 1000:.0f} ms), "
                      f"{times[name]['cpu'] * 1000:.0f} ms CPU ({times[name]['cpu'] / bare['cpu']:.2f}x "
                      f"{bare['cpu'] * 1000:.0f} ms)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"load average after: {load_average()}")
    (RESULTS_ROOT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
