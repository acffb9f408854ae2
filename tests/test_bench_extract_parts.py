"""bench/extract_parts.py keeps working as the parts it replays change shape (a smoke test, no timing)."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES, REPO


def test_extract_parts_replays_every_part():
    result = subprocess.run([sys.executable, str(REPO / "bench" / "extract_parts.py"), str(EXAMPLES / "contracts"),
                             "--rounds", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    parts = [line[:22].strip() for line in result.stdout.splitlines()[1:]]
    assert parts == ["matching view", "party roles", "trigger candidates", "required literals", "exclude/context", "negation cues",
                     "duration reading", "evidence spans"]
    calls = {line[:22].strip(): int(line[22:].split()[0]) for line in result.stdout.splitlines()[1:]}
    assert calls["evidence spans"] > 0 and calls["required literals"] > 0


def test_extract_parts_refuses_a_folder_without_contracts(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench" / "extract_parts.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "no contracts" in result.stderr
