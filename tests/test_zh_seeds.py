"""The Chinese text of the real seeds gives the facts a careful bilingual reader finds.

Each list was read off the seed by hand (fact, value, line); the contracts themselves stay in
../shared/seeds and are never copied here. Lines a reader could argue about are left out of
the lists and named in the comments.
"""

from __future__ import annotations

import pytest

from conftest import seed

from policycheck.document import load_document
from policycheck.facts.engine import extractor
from policycheck.values.types import display

SEED_FACTS = {
    # 001: no law, forum or data periods at all. Line 37 (using the service means consenting to
    # the privacy policy) counts as acceptance by use; line 69 (另有附加条款为准) is not a language clause.
    "001": [
        ("contract_by_use", "true", 9), ("content_removal", "true", 21), ("contract_by_use", "true", 37),
        ("data_ownership", "customer", 45), ("content_license_worldwide", "true", 47),
        ("unilateral_termination", "true", 57), ("data_ownership", "customer", 59),
        ("indemnification_by_customer", "true", 63), ("amendment_notice_period", "1w", 67),
        ("unilateral_amendment", "true", 67),
    ],
    # 003 (Chinese half, lines 1-40): "无法承诺100%的数据恢复" is not an uptime commitment.
    "003": [
        ("data_ownership", "customer", 9), ("data_deletion_after", "3mo", 10), ("data_export_window", "3mo", 10),
        ("limitation_of_liability", "true", 10), ("limitation_of_liability", "true", 25),
        ("backup_responsibility", "provider", 28), ("consequential_damages_excluded", "true", 28),
        ("data_loss_liability_excluded", "true", 28), ("limitation_of_liability", "true", 28),
        ("data_recovery_time", "72h", 29), ("force_majeure", "true", 30), ("final_interpretation_right", "true", 35),
        ("price_change_notice", "1mo", 36), ("arbitration_body", "CIETAC", 40), ("arbitration_venue", "CN", 40),
        ("dispute_forum", "arbitration", 40), ("negotiation_period", "60d", 40),
    ],
    # 004 (Chinese half, lines 1-173): 签约地为武汉 (line 151) is not a seat or a court.
    "004": [
        ("contract_by_use", "true", 13), ("minimum_age", "18", 15), ("limitation_of_liability", "true", 29),
        ("data_ownership", "customer", 60), ("content_removal", "true", 68), ("data_ownership", "customer", 76),
        ("unilateral_termination", "true", 82), ("limitation_of_liability", "true", 91),
        ("indemnification_by_customer", "true", 93), ("force_majeure", "true", 99),
        ("limitation_of_liability", "true", 99), ("limitation_of_liability", "true", 101),
        ("limitation_of_liability", "true", 107), ("data_deletion_after", "0d", 109),
        ("limitation_of_liability", "true", 109), ("inactivity_termination_after", "15d", 111),
        ("consequential_damages_excluded", "true", 117), ("limitation_of_liability", "true", 117),
        ("backup_responsibility", "provider", 119), ("consequential_damages_excluded", "true", 119),
        ("data_loss_liability_excluded", "true", 119), ("limitation_of_liability", "true", 119),
        ("warranty_disclaimer", "true", 121), ("limitation_of_liability", "true", 129), ("liability_cap", "true", 130),
        ("limitation_of_liability", "true", 130), ("liability_cap", "true", 131),
        ("limitation_of_liability", "true", 131), ("data_recovery_time", "48h", 136), ("service_credits", "true", 136),
        ("uptime_commitment", "99%", 136), ("unilateral_termination", "true", 138), ("governing_law", "CN", 151),
        ("arbitration_body", "WHAC", 153), ("arbitration_venue", "CN", 153), ("dispute_forum", "arbitration", 153),
        ("negotiation_period", "60d", 153), ("amendment_notice_period", "1bd", 159), ("contract_by_use", "true", 159),
        ("unilateral_amendment", "true", 159), ("final_interpretation_right", "true", 161),
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_chinese_facts_of_the_seeds(name):
    document = load_document(str(seed(name)))
    facts = [f for f in extractor().extract(document).facts if f.language == "zh"]
    found = sorted((f.name, display(f.value), f.evidence.line) for f in facts)
    assert found == sorted(SEED_FACTS[name])


def test_seed_004_recovery_range_and_places():
    facts = extractor().extract(load_document(str(seed("004")))).facts
    recovery = [f for f in facts if f.name == "data_recovery_time" and f.language == "zh"]
    assert [(f.shown(), f.qualifiers.get("range") is not None) for f in recovery] == [("4h..48h", True)]
    venue = [f for f in facts if f.name == "arbitration_venue" and f.language == "zh"]
    assert [f.qualifiers.get("place") for f in venue] == ["Wuhan"]
