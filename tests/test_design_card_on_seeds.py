"""The walking skeleton's acceptance test: the design card's two rules on the real seeds.

Expected outcomes were read off the seed texts by hand:
- 000, 001, 002 name no arbitration at all -> arbitration_venue missing;
- 003 submits disputes to CIETAC's Zhengzhou sub-commission (CN) -> passes; its data may be
  deleted three months after expiry (90d, not < 90d) -> not flagged;
- 004 submits disputes to the Wuhan Arbitration Commission (CN) -> passes; data of terminated
  accounts may be deleted "at any time" (0d) -> flagged.
"""

from __future__ import annotations

import json

from conftest import POLICIES


def _findings(report: dict) -> dict[str, list[dict]]:
    return {doc["path"].rsplit("/", 1)[-1][:3]: doc["findings"] for doc in report["documents"]}


def test_design_card_policy_on_seeds(cli, seeds):
    result = cli("run", POLICIES / "design-card.policy", seeds, "-f", "json")
    assert result.code == 1, result
    report = json.loads(result.out)
    findings = _findings(report)
    assert set(findings) == {"000", "001", "002", "003", "004"}

    for name in ("000", "001", "002"):
        assert [(f["verb"], f["status"]) for f in findings[name]] == [("require", "missing")], name
        assert findings[name][0]["facts"] == {}

    assert findings["003"] == []

    (flag,) = findings["004"]
    assert flag["verb"] == "flag" and flag["severity"] == "warning" and flag["status"] == "failed"
    assert flag["facts"] == {"data_deletion_after": ["0d", "0d"]}
    lines = sorted(span["line"] for span in flag["evidence"])
    assert lines == [109, 277]      # the Chinese and the English text of the same clause
    texts = {span["text"] for span in flag["evidence"]}
    assert "随时删除所有数据" in texts
    assert "delete all data at any time" in texts


def test_seed_003_arbitration_facts(cli, seeds):
    result = cli("facts", seeds / next(p.name for p in seeds.iterdir() if p.name.startswith("003")), "--format", "json")
    assert result.code == 0, result
    facts = json.loads(result.out)["documents"][0]["facts"]
    venues = [(f["value"], f["qualifiers"].get("place"), f["language"], f["evidence"]["line"])
              for f in facts if f["name"] == "arbitration_venue"]
    assert venues == [("CN", "Zhengzhou", "zh", 40), ("CN", "Zhengzhou", "en", 110)]
    bodies = {(f["value"], f["language"]) for f in facts if f["name"] == "arbitration_body"}
    assert bodies == {("CIETAC", "zh"), ("CIETAC", "en")}
    deletion = [(f["value"], f["language"], f["evidence"]["line"]) for f in facts if f["name"] == "data_deletion_after"]
    assert deletion == [("3mo", "zh", 10), ("3mo", "en", 57)]
