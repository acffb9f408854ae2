"""Streaming outputs, --jobs and the fact cache change how a run works, never what it writes.

Every run below must produce byte-identical text and JSON reports: one process or two, cold
cache, warm cache or none, and the whole-report renderers agree with the streaming ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policycheck import parallel
from policycheck.facts.engine import Extractor

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "contracts"
POLICIES = REPO / "policies"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Example contracts (plus the seeds when present), an unreadable file in the middle."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    sources = sorted(EXAMPLES.glob("*.txt"))
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        sources += sorted(seeds.glob("*.txt"))
    for copy in range(3):
        for index, source in enumerate(sources):
            shutil.copy(source, folder / f"{copy}-{index:02d}-{source.name}")
    (folder / "1-50-empty.txt").write_text("")
    return folder


def _run(cli, tmp_path: Path, corpus: Path, name: str, *options: str) -> tuple[int, bytes, bytes, str]:
    out = tmp_path / f"{name}.json"
    text = tmp_path / f"{name}.txt"
    result = cli("run", POLICIES, corpus, "-f", f"json:{out}", "-f", f"text:{text}", *options)
    return result.code, out.read_bytes(), text.read_bytes(), result.err


def test_jobs_and_cache_write_identical_reports(cli, tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)   # use workers even for a small corpus
    cache = tmp_path / "cache"
    baseline = _run(cli, tmp_path, corpus, "j1", "-j", "1", "--no-cache")
    runs = {
        "j2": _run(cli, tmp_path, corpus, "j2", "-j", "2", "--no-cache"),
        "j3": _run(cli, tmp_path, corpus, "j3", "--jobs", "3", "--no-cache"),
        "cold": _run(cli, tmp_path, corpus, "cold", "-j", "2", "--cache", str(cache)),
        "warm": _run(cli, tmp_path, corpus, "warm", "-j", "1", "--cache", str(cache)),
        "warm-j2": _run(cli, tmp_path, corpus, "warm2", "-j", "2", "--cache", str(cache)),
    }
    assert baseline[0] == 2                       # the empty file: exit 2, every other contract reported
    assert "1-50-empty.txt: is empty" in baseline[3]
    report = json.loads(baseline[1])
    assert report["summary"]["documents"] == len(list(corpus.iterdir())) - 1
    assert [d["path"] for d in report["documents"]] == sorted(d["path"] for d in report["documents"])
    for name, run in runs.items():
        assert run[:3] == baseline[:3], name
        assert run[3] == baseline[3], name


def test_streamed_reports_equal_whole_reports(cli, tmp_path, corpus):
    """text and json stream; adding a SARIF output (which needs the whole run) renders all at the end."""
    streamed = _run(cli, tmp_path, corpus, "streamed", "-j", "1", "--no-cache")
    whole = _run(cli, tmp_path, corpus, "whole", "-j", "1", "--no-cache", "-f", f"sarif:{tmp_path / 'x.sarif'}")
    assert streamed == whole
    data = json.loads(streamed[1])
    lines = [line.rstrip(",") for line in streamed[1].decode().split("\n")]
    findings = [finding for document in data["documents"] for finding in document["findings"]]
    assert findings and all("        " + json.dumps(finding, ensure_ascii=False) in lines for finding in findings)
    assert data["documents"] and data["errors"]


def test_warm_cache_skips_extraction(cli, tmp_path, corpus, monkeypatch):
    cache = tmp_path / "cache"
    cold = _run(cli, tmp_path, corpus, "cold", "-j", "1", "--cache", str(cache))

    def no_extraction(self, document):
        raise AssertionError(f"{document.path} was extracted again")

    monkeypatch.setattr(Extractor, "extract", no_extraction)
    warm = _run(cli, tmp_path, corpus, "warm", "-j", "1", "--cache", str(cache))
    assert warm == cold


def test_damaged_cache_entries_are_misses(cli, tmp_path, corpus):
    cache = tmp_path / "cache"
    cold = _run(cli, tmp_path, corpus, "cold", "-j", "1", "--cache", str(cache))
    entries = sorted(cache.rglob("*.json"))
    assert entries
    damage = [b"", b"{not json", b'{"format": 1}', b"\xff\xfe\x00garbage",
              json.dumps({"format": 1, "content": "x", "languages": [], "facts": [], "notes": []}).encode()]
    for index, entry in enumerate(entries):
        original = json.loads(entry.read_text(encoding="utf-8"))
        if index < len(damage):
            entry.write_bytes(damage[index])
        else:   # valid JSON, wrong shapes inside
            original["facts"] = [["name", "duration", ["duration", "x"], "en", [1], "r", ["dict", {}]]]
            entry.write_text(json.dumps(original), encoding="utf-8")
    again = _run(cli, tmp_path, corpus, "again", "-j", "1", "--cache", str(cache))
    assert again == cold
    # The damaged entries were replaced by good ones.
    warm = _run(cli, tmp_path, corpus, "warm", "-j", "1", "--cache", str(cache))
    assert warm == cold
    for entry in entries:
        assert json.loads(entry.read_text(encoding="utf-8"))["format"] == 1


def test_default_cache_lives_in_the_user_cache_directory(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    contract = EXAMPLES / "cloudnote-saas-terms.txt"
    cli("run", POLICIES, contract, "-j", "1")
    assert list((tmp_path / "xdg" / "policycheck").rglob("*.json"))


@pytest.mark.parametrize("env, options", [({"CI": "true"}, ()), ({}, ("--no-cache",)), ({"CI": "1"}, ())])
def test_cache_is_off_in_ci_and_with_no_cache(cli, tmp_path, monkeypatch, env, options):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = cli("run", POLICIES, EXAMPLES / "cloudnote-saas-terms.txt", *options)
    assert result.code == 1
    assert not (tmp_path / "xdg" / "policycheck").exists()


def test_explicit_cache_in_ci_is_used(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    cli("run", POLICIES, EXAMPLES / "cloudnote-saas-terms.txt", "--cache", tmp_path / "c")
    assert list((tmp_path / "c").rglob("*.json"))


def test_unusable_cache_directory(cli, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = cli("run", POLICIES, EXAMPLES / "cloudnote-saas-terms.txt", "--cache", blocker)
    assert result.code == 2
    assert "cannot use cache directory" in result.err and "Traceback" not in result.err
    # The default location failing is only a warning: the run goes on without a cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = cli("run", POLICIES, EXAMPLES / "cloudnote-saas-terms.txt")
    assert result.code == 1
    assert "warning: fact cache off" in result.err


def test_jobs_must_be_positive(cli):
    result = cli("run", POLICIES, EXAMPLES, "-j", "0")
    assert result.code == 2
    assert "--jobs" in result.err


def test_report_file_appears_only_when_complete(cli, tmp_path, monkeypatch):
    out = tmp_path / "reports" / "report.json"

    def broken(self, document):
        # A bug in one contract is that contract's error (the run goes on); an interrupt stops the run.
        raise KeyboardInterrupt

    monkeypatch.setattr(Extractor, "extract", broken)
    result = cli("run", POLICIES, EXAMPLES, "-f", f"json:{out}", "--no-cache", "-j", "1")
    assert result.code == 2 and "Aborted" in result.err     # click reports an interrupt as Aborted
    assert not out.exists()
    assert list(out.parent.iterdir()) == []     # no temporary file left behind


def _pid_and_path(result):
    import os

    return os.getpid(), result.path


def test_results_are_finished_where_they_were_checked(corpus, monkeypatch):
    """Rendering for the reports runs in the forked worker that checked the contract; where
    workers are not forked it runs here, with the same results in the same order."""
    import os

    from policycheck import pipeline
    from policycheck.findings.model import InputError
    from policycheck.policy.loader import load_policies

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    policy_set, errors = load_policies([str(POLICIES)])
    assert not errors
    checker = pipeline.Checker.create(policy_set)
    contracts = [str(path) for path in sorted(corpus.iterdir())]
    forked = list(pipeline.check_contracts(checker, contracts, jobs=2, finish=_pid_and_path))
    monkeypatch.setattr(pipeline, "workers_are_forked", lambda: False)
    here = list(pipeline.check_contracts(checker, contracts, jobs=2, finish=_pid_and_path))
    unreadable = [r for r in forked if isinstance(r, InputError)]
    assert [r.path for r in unreadable] == [str(corpus / "1-50-empty.txt")]
    assert [r[1] for r in forked if not isinstance(r, InputError)] == \
        [r[1] for r in here if not isinstance(r, InputError)] == [p for p in contracts if not p.endswith("empty.txt")]
    if parallel.workers_are_forked():
        assert os.getpid() not in {r[0] for r in forked if not isinstance(r, InputError)}
    assert {r[0] for r in here if not isinstance(r, InputError)} == {os.getpid()}


def test_tally_merge_counts_like_adding_documents():
    from policycheck.findings.model import DocumentResult, Finding
    from policycheck.report.model import Tally

    def finding(severity, status):
        return Finding("r", "require", severity, status, "m", {}, (), "p.policy", 1)

    documents = [DocumentResult("a.txt", ["en"], [], [finding("error", "failed"), finding("info", "missing")]),
                 DocumentResult("b.txt", ["zh"], [], [finding("warning", "waived")]),
                 DocumentResult("c.txt", ["en"], [], [])]
    whole = Tally()
    merged = Tally()
    for document in documents:
        whole.add(document, "warning")
        one = Tally()
        one.add(document, "warning")
        merged.merge(one)
    assert merged == whole and whole.documents == 3 and whole.failing == 1
