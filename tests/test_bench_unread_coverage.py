"""bench/unread_coverage.py counts what the issue says it counts, on a corpus written for this test.

Each contract is one sentence whose fate is known by hand: a value read, a clause whose value
cannot be read (flagged unread), nothing about the fact (a miss), and a fact the gold says is
absent with nothing about it (no false flag).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from conftest import REPO

ERRATA = REPO / "bench" / "label_errata.yaml"
CORPORA = REPO.parent / "shared" / "corpora"

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
    tmp_path = tmp_path / "sample-work"      # a part of the corpus "sample" (bench/corpus_split.py)
    (tmp_path / "txt").mkdir(parents=True)
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


def _errata(tmp_path, entries):
    path = tmp_path / "errata.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


def test_label_errata_give_a_second_figure_beside_the_plain_one(tmp_path):
    # The missed warranty period checked to be a label error: 2 of 2 covered without it.
    errata = _errata(tmp_path, {"sample": [{"file": "txt/missed.txt", "fact": "warranty_period",
                                            "reason": "a meeting schedule, no warranty"}],
                                "other": [{"file": "txt/unread.txt", "fact": "governing_law", "reason": "elsewhere"}]})
    result = _run(_corpus(tmp_path), "--json", "--errata", errata)
    assert result.returncode == 0, result.stderr
    [figures] = json.loads(result.stdout)
    assert abs(figures["coverage"] - 2 / 3) < 1e-9          # the headline is unchanged
    assert figures["label_errata"] == 1 and figures["coverage_without_label_errata"] == 1.0
    text = _run(tmp_path / "sample-work", "--errata", errata, "--misses", "5").stdout
    assert "  coverage     0.667" in text
    assert "coverage without label errata 1.000  (of 2 gold facts: 1 checked by hand" in text
    assert "miss  warranty_period: txt/missed.txt: expected 'present', found []  (a label erratum)" in text


def test_without_errata_of_its_corpus_there_is_one_figure(tmp_path):
    errata = _errata(tmp_path, {"other": [{"file": "txt/missed.txt", "fact": "warranty_period", "reason": "x"}]})
    result = _run(_corpus(tmp_path), "--errata", errata)
    assert result.returncode == 0, result.stderr
    assert "without label errata" not in result.stdout


@pytest.mark.parametrize("content, message", [
    ("sample: [{file: txt/missed.txt, fact: warranty_period}]", "erratum 1 needs a file, a fact and a reason"),
    ("sample: {file: txt/missed.txt}", "sample: expected a list of errata"),
    ("- sample", "expected corpus names"),
    ("sample: [unclosed", "errata.yaml:2:1: not valid YAML"),
])
def test_a_bad_errata_file_is_refused_with_its_place(tmp_path, content, message):
    path = tmp_path / "errata.yaml"
    path.write_text(content, encoding="utf-8")
    result = _run(_corpus(tmp_path), "--errata", path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_each_shipped_erratum_names_a_gold_value_of_its_corpus():
    """Every entry of bench/label_errata.yaml names a file of its corpus whose gold asks for a
    value of that fact (a typo would silently set nothing aside), with a reason of one line."""
    errata = yaml.safe_load(ERRATA.read_text(encoding="utf-8"))
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not here")
    for corpus, entries in errata.items():
        gold = {}
        for line in (CORPORA / corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["file"]] = row["gold"]
        for entry in entries:
            expectation = gold[entry["file"]][entry["fact"]]
            assert expectation not in (None, "absent") and not (isinstance(expectation, dict) and "not" in expectation)
            assert "\n" not in entry["reason"] and len(entry["reason"]) < 120
