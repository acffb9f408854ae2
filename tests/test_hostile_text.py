"""Hostile contract text never hangs extraction.

Time is not asserted against normal figures (bench/hostile.py measures those). The budgets
here are two orders of magnitude above what a run costs on a loaded machine, so they only
catch what they are for: catastrophic backtracking, which takes minutes or hours. Work runs in
a child process so that a pattern stuck inside the regex engine is killed, not waited for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hostile_text import HOSTILE_TEXTS, pattern_tokens, pattern_worst_cases

TESTS = Path(__file__).resolve().parent
PATTERN_BUDGET = 30.0        # seconds for one pattern on one 3,000-character worst case; normal < 0.2
FILE_BUDGET = 300.0          # seconds for `policycheck facts` on one 128 KB hostile file; normal < 3
HOSTILE_SIZE = 128 * 1024


def _child(code: str, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=timeout, cwd=str(TESTS),
                              # policycheck as installed (editable or not); the tests' helpers beside it
                              env={**os.environ, "PYTHONPATH": str(TESTS), "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {timeout:.0f} s: catastrophic backtracking?")


def test_every_extraction_pattern_on_its_worst_cases():
    """Each compiled pattern of the rule book meets text built from its own words."""
    result = _child("""
        import json, time
        from hostile_text import pattern_worst_cases
        from policycheck.facts.engine import extractor
        slowest = {}
        for rule in extractor().book.rules:
            for pattern in rule.patterns:
                for label, text in pattern_worst_cases(pattern.source, rule.language):
                    start = time.perf_counter()
                    for _ in pattern.regex.finditer(text):
                        pass
                    seconds = time.perf_counter() - start
                    key = f"{rule.id} {pattern.source!r} [{label}]"
                    slowest[key] = seconds
        print(json.dumps(slowest))
    """, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
    timings = json.loads(result.stdout)
    assert len(timings) > 100          # the whole rule book was exercised
    too_slow = {key: round(seconds, 2) for key, seconds in timings.items() if seconds > PATTERN_BUDGET}
    assert not too_slow


def test_worst_cases_are_built_from_the_pattern():
    tokens = pattern_tokens("(delete|erase) ~ {duration} after ~ terminat", "en")
    assert tokens == ["delete", "erase", "thirty", "30", "days", "after", "terminat"]
    never_completed = dict(pattern_worst_cases("(delete|erase) ~ {duration} after ~ terminat", "en"))[
        "own words, never completed"]
    assert never_completed.startswith("delete erase thirty 30 days after delete erase thirty")
    assert "terminat" not in never_completed


def test_hostile_files_through_the_cli(tmp_path):
    """Every hostile text, as a file, through `policycheck facts` (one child process for all)."""
    paths = {}
    for number, (name, build) in enumerate(HOSTILE_TEXTS.items()):
        paths[name] = tmp_path / f"hostile-{number}.txt"
        paths[name].write_text(build(HOSTILE_SIZE), encoding="utf-8")
    mapping = {name: str(path) for name, path in paths.items()}
    result = _child(f"""
        import contextlib, io, json, sys
        from policycheck.cli.main import main
        outcome = {{}}
        for name, path in {mapping!r}.items():
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["facts", "--format", "json", path])
            outcome[name] = {{"code": code, "out": out.getvalue(), "err": err.getvalue()}}
        print(json.dumps(outcome))
    """, timeout=FILE_BUDGET * len(paths))
    assert result.returncode == 0, result.stderr[-2000:]
    for name, outcome in json.loads(result.stdout).items():
        assert (name, outcome["code"], outcome["err"]) == (name, 0, "")
        document = json.loads(outcome["out"])["documents"][0]
        for fact in document["facts"]:         # whatever is found points inside the file
            assert 1 <= fact["evidence"]["line"] <= fact["evidence"]["end_line"]


def test_runs_of_full_stops_are_segmented_in_linear_time():
    """Dot leaders gone wild: every full stop of a run once made the sentence-end search go to
    the run's end (minutes for these, hours for a megabyte)."""
    result = _child("""
        from policycheck.document.segment import segment
        for unit in (".", ".!", "!.", ". "):
            segment(unit * (200_000 // len(unit)) + " a\\n")
    """, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_user_pattern_with_many_gaps_stays_linear(tmp_path):
    """An extractor file in a pull request cannot hang the check with gap after gap."""
    extractors = tmp_path / "extractors.yaml"
    extractors.write_text(textwrap.dedent("""\
        rules:
          - fact: data_retention_period
            id: greedy
            language: en
            triggers: [keep]
            patterns: ["keep ~ data ~ data ~ data ~ data ~ data ~ data ~ data ~ for {duration}"]
    """), encoding="utf-8")
    result = _child(f"""
        import time
        from policycheck.document import document_from_text
        from policycheck.facts.engine import extractor
        engine = extractor(({str(extractors)!r},))
        text = ("keep data " * 300 + ".\\n") * 20
        start = time.perf_counter()
        engine.extract(document_from_text(text))
        print(time.perf_counter() - start)
    """, timeout=FILE_BUDGET)
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout) < PATTERN_BUDGET
