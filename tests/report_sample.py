"""A fixed run for the report tests: real policies and the real evaluator, facts placed by hand.

The facts are placed on the contract text below by hand (not extracted), so the reports under
test do not change when extraction rules improve. The contract text is hostile on purpose:
markup, Markdown, a workflow command, a terminal escape and a mention sit next to the evidence.
"""

from __future__ import annotations

import dataclasses
import os
from fractions import Fraction

from policycheck.document.load import document_from_text
from policycheck.document.model import Document
from policycheck.facts.model import DocumentFacts, Fact
from policycheck.findings.model import InputError
from policycheck.pipeline import Checker
from policycheck.policy.loader import load_policies
from policycheck.report.model import RunReport
from policycheck.values.types import Duration, Jurisdiction

POLICY = '''\
policy "Hosting playbook"

rule arbitration-seat "Disputes are arbitrated in mainland China" {
    require arbitration_venue in CN
    message "Arbitration seat is {arbitration_venue}; the playbook requires mainland China"
    see "https://playbook.example.com/disputes#seat"
    tags [disputes]
}

rule deletion-window "Customer data is kept long enough after the end" {
    flag data_deletion_after < 30d
    message "Customer data may be deleted {data_deletion_after} after the contract ends"
    see "javascript:alert(1)"
}

rule export-window "Customers can take their data out" {
    require data_export_window >= 30d
    severity warning
    message "No period to export customer data was found"
}

rule uptime {
    flag uptime_commitment < 99.5%
    severity info
}

rule chinese-law "Chinese law governs a contract arbitrated in China" {
    require governing_law in [CN, HK] when arbitration_venue in CN
}
'''

# Original text written for these tests.
HOSTILE_CONTRACT = (
    "Northwind Hosting Terms\n"
    "\n"
    "1. Disputes\n"
    "1.1 These Terms are governed by the laws of the State of New York.\n"
    "1.2 Any dispute goes to arbitration. The seat of arbitration shall be New York "
    "<script>document.title='pwned'</script> | `code` **bold** [link](https://evil.example) @legal-team.\n"
    "\n"
    "2. Data\n"
    "2.1 <img src=x onerror=\"document.body.dataset.pwned='yes'\"> Provider may delete Customer\n"
    "Data 15 days after termination ::error::forged \x1b[31mred\x1b[0m.\n"
)

BILINGUAL_CONTRACT = (
    "数据条款 Data terms\n"
    "1. 服务终止后,服务方可在三十日后删除用户数据。\n"
    "1. Provider may delete customer data 15 days after termination.\n"
)

QUIET_CONTRACT = "Quiet Terms\n\n1. The seat of arbitration is Beijing.\n"

CLEAN_CONTRACT = (
    "Harbour Terms\n"
    "1. The laws of the People's Republic of China govern these terms; the seat of arbitration is Shanghai.\n"
    "2. Customer may export its data for 60 days, and Provider deletes it 90 days after termination.\n"
)


def _span_of(document: Document, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(quote, start + 1)
    return document.span(start, start + len(quote))


def _document(path: str, text: str) -> Document:
    return document_from_text(text, path)


def _facts(path: str, text: str, placed: list[tuple[str, str, object, str, str]]) -> DocumentFacts:
    document = _document(path, text)
    facts = [Fact(name, kind, value, language, _span_of(document, quote), "test/placed")
             for name, kind, value, language, quote in placed]
    languages = sorted({fact.language for fact in facts})
    return DocumentFacts(path, languages, facts)


def sample_report(directory: str, fail_on: str = "error") -> RunReport:
    """The run, with policies in ``directory``/playbook.policy named by a relative path."""
    previous = os.getcwd()
    os.chdir(directory)
    try:
        with open("playbook.policy", "w", encoding="utf-8") as handle:
            handle.write(POLICY)
        policy_set, errors = load_policies(["playbook.policy"])
    finally:
        os.chdir(previous)
    assert not errors, errors
    checker = Checker.create(policy_set)
    hostile = _facts("contracts/northwind <terms>.txt", HOSTILE_CONTRACT, [
        ("governing_law", "jurisdiction", Jurisdiction("US-NY"), "en", "laws of the State of New York"),
        ("arbitration_venue", "jurisdiction", Jurisdiction("US-NY"), "en", "seat of arbitration shall be New York"),
        ("data_deletion_after", "duration", Duration(Fraction(15), "d"), "en",
         "delete Customer\nData 15 days after termination"),
    ])
    bilingual = _facts("contracts/bilingual.txt", BILINGUAL_CONTRACT, [
        ("data_deletion_after", "duration", Duration(Fraction(30), "d"), "zh", "三十日后删除用户数据"),
        ("data_deletion_after", "duration", Duration(Fraction(15), "d"), "en",
         "delete customer data 15 days after termination"),
    ])
    quiet = _facts("contracts/quiet.txt", QUIET_CONTRACT, [
        ("arbitration_venue", "jurisdiction", Jurisdiction("CN"), "en", "seat of arbitration is Beijing"),
    ])
    clean = _facts("contracts/clean.txt", CLEAN_CONTRACT, [
        ("governing_law", "jurisdiction", Jurisdiction("CN"), "en", "laws of the People's Republic of China"),
        ("arbitration_venue", "jurisdiction", Jurisdiction("CN"), "en", "seat of arbitration is Shanghai"),
        ("data_export_window", "duration", Duration(Fraction(60), "d"), "en", "export its data for 60 days"),
        ("data_deletion_after", "duration", Duration(Fraction(90), "d"), "en", "deletes it 90 days after termination"),
    ])
    report = RunReport(policy_set=policy_set, fail_on=fail_on, version="9.9.9")
    for document_facts in (hostile, bilingual, quiet, clean):
        report.documents.append(checker.check_facts(document_facts))
    # A waiver, as the workflow stage records it, on the bilingual contract's deletion finding.
    bilingual_result = report.documents[1]
    bilingual_result.findings = [
        dataclasses.replace(finding, status="waived", waiver={
            "rule": "deletion-window", "contract": "contracts/bilingual.txt",
            "reason": "Vendor keeps backups for 90 days <see ticket #12>", "approved_by": "A. Chen",
            "expires": "2027-06-30"})
        if finding.rule == "deletion-window" else finding
        for finding in bilingual_result.findings
    ]
    # A finding the baseline knows (recorded before): reported, but it does not fail.
    quiet_result = report.documents[2]
    quiet_result.findings = [dataclasses.replace(finding, baselined=True) if finding.rule == "export-window"
                             else finding for finding in quiet_result.findings]
    report.errors.append(InputError("contracts/broken.txt", "not a text file (binary content)"))
    return report
