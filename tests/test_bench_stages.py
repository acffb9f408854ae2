"""bench/stages.py keeps working as the stages it times change shape (a smoke test, no timing)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO


@pytest.mark.parametrize("report_format", ["json", "text"])
def test_stages_prints_every_stage(report_format):
    result = subprocess.run([sys.executable, str(REPO / "bench" / "stages.py"), str(EXAMPLES / "contracts" / "zh"),
                             "--rounds", "1", "--format", report_format], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    stages = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert stages == ["load", "extract", "evaluate", "report", "total"]
    assert f"{report_format} report" in result.stdout.splitlines()[0]


def test_stages_refuses_a_format_that_does_not_stream():
    result = subprocess.run([sys.executable, str(REPO / "bench" / "stages.py"), str(EXAMPLES / "contracts" / "zh"),
                             "--format", "sarif"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "does not stream" in result.stderr


def test_extract_floor_prints_every_line():
    """bench/extract_floor.py reaches into the extractor's internals: this notices when they move."""
    result = subprocess.run([sys.executable, str(REPO / "bench" / "extract_floor.py"), str(EXAMPLES / "contracts"),
                             "--rounds", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.strip().rsplit(None, 4)[0] for line in lines[1:5]] == [
        "extraction as is", "extraction, pattern matching free", "trigger scan (candidates)", "party roles"]
    assert "facts" in lines[-1] and int(lines[-1].split()[-1]) > 0
