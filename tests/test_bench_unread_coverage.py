"""bench/unread_coverage.py counts what the issue says it counts, on a corpus written for this test.

Each contract is one sentence whose fate is known by hand: a value read, a clause whose value
cannot be read (flagged unread), nothing about the fact (a miss), and a fact the gold says is
absent with nothing about it (no false flag).
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

CONTRACTS = {
    "read.txt": ("The Provider may change these terms on thirty (30) days' notice.",
                 {"amendment_notice_period": "30d"}),
    "unread.txt": ("This Agreement is governed by the laws of Ruritania.", {"governing_law": "present"}),
    "missed.txt": ("The parties shall meet every quarter to review the service.", {"warranty_period": "present"}),
    "absent.txt": ("The parties shall meet every quarter to review the service.", {"governing_law": "absent"}),
}
QUOTED = {"governing_law": ["This Agreement is governed by the laws of Ruritania.",
                            "The parties shall meet every quarter."]}


def _corpus(tmp_path):
    (tmp_path / "txt").mkdir()
    rows = []
    for name, (text, gold) in CONTRACTS.items():
        (tmp_path / "txt" / name).write_text(text + "\n", encoding="utf-8")
        rows.append({"file": f"txt/{name}", "gold": gold})
    rows[1]["cuad_clauses"] = QUOTED
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return tmp_path


def _run(*args):
    return subprocess.run([sys.executable, str(REPO / "bench" / "unread_coverage.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_coverage_false_unread_and_topic_recall(tmp_path):
    result = _run(_corpus(tmp_path), "--json", "--clauses")
    assert result.returncode == 0, result.stderr
    [figures] = json.loads(result.stdout)
    # Of three gold values, one read and one flagged unread: 2/3; nothing flagged where gold says absent.
    assert (figures["gold"], figures["read"], figures["flagged_unread"]) == (3, 1, 1)
    assert abs(figures["coverage"] - 2 / 3) < 1e-9
    assert (figures["contracts_with_absent_fact"], figures["contracts_falsely_flagged"]) == (1, 0)
    # One of the two quoted clauses speaks of governing law.
    assert figures["topic_recall"] == {"governing_law": {"quoted": 2, "found": 1}}


def test_the_text_report_names_the_miss_and_the_missed_clause(tmp_path):
    result = _run(_corpus(tmp_path), "--misses", "5", "--clauses", "5")
    assert result.returncode == 0, result.stderr
    assert "miss  warranty_period: txt/missed.txt" in result.stdout
    assert "topic recall 0.500  (1 of 2 quoted clauses" in result.stdout
    assert "missed governing_law: 'The parties shall meet every quarter.'" in result.stdout


def test_a_folder_without_gold_is_refused(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 2 and "no gold.jsonl" in result.stderr
