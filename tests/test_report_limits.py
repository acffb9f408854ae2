"""Reports that land where sizes are limited: 300 generated contracts through -f markdown (a
pull-request comment holds 65,536 characters) and -f github (GitHub shows ten annotations of
each level per step; a job summary holds 1 MiB)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from conftest import POLICIES
from policycheck.report.fitting import GITHUB_COMMENT_LIMIT

CONTRACTS = 300
LAWS = ["New York", "England and Wales", "Singapore", "Germany", "California", "Ontario"]


def _contract(number: int, pick: random.Random) -> str:
    """A short service agreement, written for these tests, whose terms vary from one to the next."""
    law = pick.choice(LAWS)
    return (
        f"Service Terms No. {number}\n\n"
        f"1. Governing law. These terms are governed by the laws of {law}.\n"
        f"2. Disputes. Any dispute shall be settled by arbitration. The seat of arbitration shall be {law}.\n"
        f"3. Data. Provider may delete Customer Data {pick.choice([10, 15, 30, 60, 120])} days after termination.\n"
        f"4. Availability. Provider will make the service available {pick.choice(['98.5', '99.0', '99.9'])}% "
        "of the time each month.\n"
        "5. Changes. Provider may change these terms at any time without notice.\n"
    )


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("portfolio")
    pick = random.Random(21)
    for number in range(CONTRACTS):
        (folder / f"terms-{number:03d}.txt").write_text(_contract(number, pick), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run_outputs(portfolio, tmp_path_factory):
    """One run over the portfolio writing markdown, github (with a job summary) and JSON."""
    from policycheck.cli.main import main

    out = tmp_path_factory.mktemp("out")
    summary = out / "step-summary.md"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("NO_COLOR", "1")
    try:
        code = main(["run", str(POLICIES), str(portfolio), "-q", "--no-cache", "-j", "2",
                     "-f", f"markdown:{out / 'comment.md'}", "-f", f"github:{out / 'annotations.txt'}",
                     "-f", f"json:{out / 'report.json'}", "--report-url", "https://ci.example.org/run/7/report.html"])
    finally:
        monkeypatch.undo()
    assert code == 1
    return {
        "markdown": (out / "comment.md").read_text(encoding="utf-8"),
        "github": (out / "annotations.txt").read_text(encoding="utf-8"),
        "summary": summary.read_text(encoding="utf-8"),
        "json": json.loads((out / "report.json").read_text(encoding="utf-8")),
    }


_ROW = re.compile(r"^\| (?:🔴|🟡|🔵|⚪) ", re.MULTILINE)


def test_the_portfolio_has_far_more_findings_than_fit(run_outputs):
    summary = run_outputs["json"]["summary"]
    assert summary["documents"] == CONTRACTS
    assert summary["findings"] > 1000 and summary["by_severity"]["error"] > 300


def test_markdown_stays_within_a_comment_and_says_what_it_left_out(run_outputs):
    markdown, summary = run_outputs["markdown"], run_outputs["json"]["summary"]
    assert len(markdown) <= GITHUB_COMMENT_LIMIT
    assert markdown.startswith(f"## ❌ policycheck: {summary['by_severity']['error']} errors, ")
    shown = len(_ROW.findall(markdown))
    assert shown > 50                                   # the room is used, not left empty
    left_out = summary["findings"] - shown
    note = re.search(r"\*\*Not shown here\*\* .*: (\d+) findings \((\d+) errors, (\d+) warnings\) in (\d+) contracts", markdown)
    assert note, markdown[-600:]
    assert int(note.group(1)) == left_out
    assert int(note.group(2)) + int(note.group(3)) == left_out
    assert int(note.group(2)) == summary["by_severity"]["error"] - shown    # every shown row is an error
    assert "[The full report](<https://ci.example.org/run/7/report.html>)" in markdown
    # The most severe first: with more errors than fit, no warning is shown at all.
    assert "🟡" not in markdown and shown == markdown.count("| 🔴 error |")


def test_github_annotations_stay_within_the_per_step_limits(run_outputs):
    lines = run_outputs["github"].splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert kinds.count("::error") == 10 and kinds.count("::warning") == 10
    assert len(kinds) <= 50
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    assert all(line.startswith(("::error ", "::warning ", "::notice ", "policycheck: ")) for line in lines)
    findings = run_outputs["json"]["summary"]["findings"]
    assert lines[-1].endswith(f"{findings - len(kinds)} finding(s) not annotated (GitHub shows 10 per level): "
                              "see the job summary or https://ci.example.org/run/7/report.html")


def test_job_summary_counts_the_findings_not_annotated(run_outputs):
    summary_text, summary = run_outputs["summary"], run_outputs["json"]["summary"]
    assert len(summary_text.encode("utf-8")) <= 1024 * 1024
    annotated = sum(line.startswith("::") for line in run_outputs["github"].splitlines())
    match = re.search(r"(\d+) findings annotated on the files, (\d+) more findings \((\d+) errors, (\d+) warnings\)",
                      summary_text)
    assert match, summary_text[-800:]
    assert int(match.group(1)) == annotated
    assert int(match.group(2)) == summary["findings"] - annotated
    assert int(match.group(3)) == summary["by_severity"]["error"] - 10
    assert int(match.group(4)) == summary["by_severity"]["warning"] - 10


def test_a_report_that_fits_is_not_cut(cli, portfolio, tmp_path):
    result = cli("run", POLICIES / "china.policy", portfolio / "terms-000.txt", "-f", "markdown")
    assert "Not shown here" not in result.out and len(result.out) < 10_000
    assert result.out.startswith("## ❌ policycheck:")
