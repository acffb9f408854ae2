"""Unread clauses: a clause about a fact whose value could not be read is reported, never dropped.

The topic reading runs on texts written for these tests (topics/cases.yaml); the
evaluation, the config, the reports, waivers, baseline, the facts output and the policy test
runner are checked on a contract whose governing-law clause names a place nobody knows
(Ruritania) and whose deletion clause states its period loosely, and on one that holds a
sentence in German (text in a language policycheck does not read).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from policycheck.document.load import document_from_text
from policycheck.errors import ConfigError
from policycheck.facts.engine import extractor
from policycheck.facts.rules import rulebook
from policycheck.facts.topics import RECURRING_PERIOD, SPAN_PERIOD, TopicReader
from policycheck.facts.model import DocumentFacts, Fact
from policycheck.findings.unread import UNREAD_CLAUSE
from policycheck.values.types import Duration
from policycheck.pipeline import read_document

CASES = Path(__file__).parent / "topics"
TOPIC_CASES = yaml.safe_load((CASES / "cases.yaml").read_text(encoding="utf-8"))
# The repository carries the OASIS schema (tests/schemas/README.md says where it comes from).
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

CONTRACT = (
    "Service Terms\n"
    "\n"
    "This Agreement is governed by the laws of Ruritania.\n"
    "Customer Data is erased 90 days or so once the subscription lapses.\n"
    "The Provider may change these terms on thirty (30) days' notice.\n"
)
POLICY = (
    "rule law { require governing_law in [GB, US] }\n"
    "rule deletion { flag data_deletion_after < 90d }\n"
    "rule notice { require amendment_notice_period >= 30d }\n"
    "rule uptime { require uptime_commitment >= 99.9% }\n"
)


@pytest.mark.parametrize("case", TOPIC_CASES, ids=[case["name"] for case in TOPIC_CASES])
def test_topic_reading(case):
    facts = read_document(document_from_text(case["text"], "case.txt"), extractor())
    unread = {clause.name for clause in facts.unread}
    read = {fact.name for fact in facts.facts}
    if "unread" in case:
        if case["unread"]:
            assert set(case["unread"]) <= unread, (unread, read)
        else:
            assert not unread
    assert not unread & set(case.get("not_unread", ())), unread
    # A clause the topic reading was first written for, which the extraction rules now read.
    assert set(case.get("read", ())) <= read, (read, unread)
    # A fact is either read or unread in a document, never both.
    assert not unread & read


def test_unread_clause_evidence_quotes_the_sentence():
    facts = read_document(document_from_text(CONTRACT, "terms.txt"), extractor())
    clause = next(c for c in facts.unread if c.name == "governing_law")
    assert (clause.evidence.line, clause.evidence.column) == (3, 1)
    assert clause.evidence.text == "This Agreement is governed by the laws of Ruritania."
    assert clause.language == "en"
    # The cue is the words of the topic as the clause says them: "governed" before "laws".
    assert clause.cues == ("governed by the laws",)


def test_long_sentences_are_quoted_up_to_a_limit():
    text = "This Agreement is governed by the laws of Ruritania " + "and its lawful provinces " * 30 + "."
    clause = next(c for c in read_document(document_from_text(text, "long.txt"), extractor()).unread
                  if c.name == "governing_law")
    assert 120 <= len(clause.evidence.text) <= 240
    assert text.startswith(clause.evidence.text)


def test_topic_reading_is_linear_in_the_text():
    # Cost measured by work done, not time: the candidate sentences grow with the text.
    reader = TopicReader(rulebook())
    sentence = "Customer Data is erased 90 days or so once the subscription lapses. "
    small = document_from_text(sentence * 50, "small.txt")
    large = document_from_text(sentence * 500, "large.txt")
    assert len(reader.clauses_about(large)) == 10 * len(reader.clauses_about(small))


@pytest.mark.parametrize("vocabulary, message", [
    ({"facts": {"no_such_fact": {"en": [["law"]]}}}, "unknown fact"),
    ({"facts": {"governing_law": {"en": [["(law"]]}}}, "governing_law"),
    ({"facts": {"governing_law": {"en": [["!law"]]}}}, "starts with the words it needs"),
    ({"facts": {"warranty_period": {"en": [["{duration}", "warrant*"]]}}}, "not with '!' or a value alone"),
    ({"facts": {"warranty_period": {"en": [["warrant*", "{no_such_slot}"]]}}}, "no_such_slot"),
    ({"facts": {"warranty_period": {"defined_terms": "Warranty Period"}}}, "defined_terms is a list"),
    ({"facts": {"warranty_period": {"defined_terms": []}}}, "defined_terms is a list"),
])
def test_bad_vocabulary_is_a_config_error(vocabulary, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        TopicReader(rulebook(), vocabulary)


def test_every_group_of_the_shipped_vocabulary_compiles():
    # A group's regex is compiled when a clause first needs it; here each one is.
    for topic in TopicReader(rulebook()).topics:
        for group in topic.groups:
            if group.regex is not None:
                assert group.regex.compiled() is not None, topic.shown


def test_shipped_vocabulary_covers_every_catalogue_fact():
    reader = TopicReader(rulebook())
    spoken = {topic.fact for topic in reader.topics if topic.source == "vocabulary"}
    assert spoken == set(rulebook().catalogue.names())
    for name in spoken:
        assert set(reader.cues(name)) == {"en", "zh"}, name


# --- evaluation and reports ----------------------------------------------------------------------

@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "terms.txt").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "p.policy").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _report(cli, workspace, *options):
    out = workspace / "report.json"
    result = cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"json:{out}", *options)
    return result, json.loads(out.read_text(encoding="utf-8"))


def _findings(report):
    return {f["rule"]: f for f in report["documents"][0]["findings"]}


def test_statuses(cli, workspace):
    result, report = _report(cli, workspace)
    findings = _findings(report)
    law = findings["law"]
    assert law["status"] == "unread"
    assert law["severity"] == "error"
    assert law["message"].startswith("a governing_law clause was found at line 3 but its value could not be read; "
                                     "review it")
    assert [span["line"] for span in law["evidence"]] == [3]
    # A fact with no clause at all is still missing.
    assert findings["uptime"]["status"] == "missing"
    # A read value decides as before.
    assert "notice" not in findings
    # The flag could not fire: the built-in finding says so, with the rule it could not check.
    unread = findings[UNREAD_CLAUSE]
    assert (unread["verb"], unread["severity"], unread["status"]) == ("check", "info", "unread")
    assert "deletion" in unread["message"] and "line 4" in unread["message"]
    assert unread["facts"] == {"data_deletion_after": []}
    assert report["summary"]["by_status"]["unread"] == 2
    assert result.code == 1          # the require error


@pytest.mark.parametrize("options, config, severity", [
    ((), None, "info"),
    (("--unread", "warning"), None, "warning"),
    (("--unread", "error"), None, "error"),
    (("--unread", "off"), None, None),
    ((), "unread: warning\n", "warning"),
    (("--unread", "info"), "unread: off\n", "info"),
])
def test_unread_severity(cli, workspace, options, config, severity):
    if config:
        (workspace / "policycheck.yaml").write_text(config, encoding="utf-8")
        options = (*options, "--config", workspace / "policycheck.yaml")
    _, report = _report(cli, workspace, *options)
    finding = _findings(report).get(UNREAD_CLAUSE)
    assert (finding["severity"] if finding else None) == severity


def test_bad_unread_level_in_config(cli, workspace):
    (workspace / "policycheck.yaml").write_text("unread: loud\n", encoding="utf-8")
    result = cli("run", workspace / "p.policy", workspace / "terms.txt", "--config", workspace / "policycheck.yaml")
    assert result.code == 2
    assert "policycheck.yaml:1" in result.err and "'unread' must be one of error, warning, info, off" in result.err


def test_fail_on_counts_the_unread_clause_by_its_severity(cli, workspace):
    (workspace / "p.policy").write_text("flag data_deletion_after < 90d\n", encoding="utf-8")
    assert _report(cli, workspace)[0].code == 0
    assert _report(cli, workspace, "--fail-on", "info")[0].code == 1
    assert _report(cli, workspace, "--fail-on", "warning")[0].code == 0
    assert _report(cli, workspace, "--fail-on", "warning", "--unread", "warning")[0].code == 1


def test_a_rule_decided_by_read_facts_is_not_unread(cli, workspace):
    # amendment_notice_period is read (30d): the condition is false whatever the deletion clause says.
    (workspace / "p.policy").write_text("forbid amendment_notice_period < 30d and data_deletion_after < 90d\n",
                                        encoding="utf-8")
    _, report = _report(cli, workspace)
    assert report["documents"][0]["findings"] == []


def test_waivers_and_baseline_work_on_unread_findings(cli, workspace):
    (workspace / "waivers.yaml").write_text(
        "- rule: unread-clause\n  contract: terms.txt\n  reason: read by a person\n"
        "- rule: law\n  contract: terms.txt\n  reason: Ruritanian law is fine for us\n", encoding="utf-8")
    result, report = _report(cli, workspace, "--waivers", workspace / "waivers.yaml", "--fail-on", "info")
    findings = _findings(report)
    assert findings[UNREAD_CLAUSE]["status"] == "waived"
    assert findings["law"]["status"] == "waived"
    assert findings["uptime"]["status"] == "missing"
    baseline = workspace / "baseline.json"
    cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "--baseline", baseline, "--update-baseline")
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert UNREAD_CLAUSE in json.dumps(recorded) and '"law"' in json.dumps(recorded)
    result, report = _report(cli, workspace, "--baseline", baseline, "--fail-on", "info")
    assert result.code == 0
    assert all(f.get("baseline") for f in report["documents"][0]["findings"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "github", "sarif", "json"])
def test_every_format_shows_unread(cli, workspace, fmt):
    out = workspace / f"report.{fmt}"
    cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"{fmt}:{out}")
    written = out.read_text(encoding="utf-8")
    assert "could not be read" in written
    assert "Ruritania" in written          # the unread clause is quoted
    assert UNREAD_CLAUSE in written


def test_sarif_with_unread_findings_validates(cli, workspace):
    jsonschema = pytest.importorskip("jsonschema")
    out = workspace / "report.sarif"
    cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"sarif:{out}")
    sarif = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert UNREAD_CLAUSE in {result["ruleId"] for result in sarif["runs"][0]["results"]}


def test_report_json_validates_against_its_schema(cli, workspace):
    jsonschema = pytest.importorskip("jsonschema")
    from policycheck.report.jsonlayout import __file__ as layout

    schema = json.loads((Path(layout).parent / "report-v1.schema.json").read_text(encoding="utf-8"))
    _, report = _report(cli, workspace)
    jsonschema.validate(report, schema)


# --- facts output, given facts, cache, explain, policy tests ------------------------------------

def test_facts_json_carries_unread_clauses_and_reads_back(cli, workspace):
    result = cli("facts", "--format", "json", workspace / "terms.txt")
    data = json.loads(result.out)
    document = data["documents"][0]
    assert data["schema"] == "policycheck/facts/v1"
    assert {f["name"] for f in document["facts"]} == {"amendment_notice_period", "unilateral_amendment"}
    law = next(u for u in document["unread"] if u["name"] == "governing_law")
    assert law["evidence"] == {"line": 3, "column": 1, "end_line": 3, "end_column": 52,
                               "text": "This Agreement is governed by the laws of Ruritania."}
    assert law["language"] == "en" and law["cues"] == ["governed by the laws"]
    # The same facts given back (run --facts) give the same findings as the contract itself.
    facts_file = workspace / "facts.json"
    facts_file.write_text(result.out, encoding="utf-8")
    given = workspace / "given.json"
    cli("run", workspace / "p.policy", "--facts", facts_file, "-q", "-f", f"json:{given}")
    _, report = _report(cli, workspace)
    strip = [{k: f[k] for k in ("rule", "status", "severity", "message")} for f in
             report["documents"][0]["findings"]]
    given_findings = json.loads(given.read_text(encoding="utf-8"))["documents"][0]["findings"]
    assert [{k: f[k] for k in ("rule", "status", "severity", "message")} for f in given_findings] == strip


def test_facts_text_lists_unread_clauses(cli, workspace):
    out = cli("facts", workspace / "terms.txt").out
    assert "unread: a clause about the fact was found but no value could be read from it" in out
    assert re.search(r"governing_law\s+en\s+3:1\s+\"This Agreement is governed by the laws of Ruritania.\"", out)


def test_cached_facts_keep_unread_clauses(cli, workspace, tmp_path):
    cache = tmp_path / "cache"
    first = workspace / "first.json"
    second = workspace / "second.json"
    for out in (first, second):
        cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "--cache", cache, "-f", f"json:{out}")
    assert list(cache.rglob("*.json"))
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert "unread" in first.read_text(encoding="utf-8")


def test_explain_lists_the_topic_cues(cli):
    out = cli("explain", "data_deletion_after").out
    assert "topic cues" in out
    assert re.search(r"en: .*delet.* \+ .*data.* \+ a duration value", out)
    assert re.search(r"zh: .*删除", out)


def test_policy_tests_accept_unread(cli, workspace):
    (workspace / "p.tests.yaml").write_text(
        "cases:\n"
        "  - name: an unknown law and a loose deletion period\n"
        "    file: terms.txt\n"
        "    expect:\n"
        "      law: unread\n"
        "      deletion: unread\n"
        "      uptime: missing\n"
        "  - name: the same with the firing status spelt out\n"
        "    file: terms.txt\n"
        "    expect:\n"
        "      law: {fires: unread, severity: error, message: could not be read}\n"
        "  - name: a law that is read is no longer unread\n"
        "    text: This Agreement is governed by the laws of England and Wales.\n"
        "    expect:\n"
        "      law: unread\n", encoding="utf-8")
    result = cli("test", workspace)
    assert result.code == 1
    assert "2 passed, 1 failed" in result.out
    assert "a law that is read is no longer unread" in result.out


def test_a_users_fact_is_known_by_its_patterns(cli, tmp_path):
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "escrow.yaml").write_text(
        "facts:\n"
        "  escrow_release_period:\n"
        "    type: duration\n"
        "    description: time after which the escrow is released\n"
        "rules:\n"
        "  - fact: escrow_release_period\n"
        "    id: release-after\n"
        "    language: en\n"
        "    patterns:\n"
        "      - \"(escrow|deposit) ~ released ~ (within|after) {duration}\"\n", encoding="utf-8")
    (tmp_path / "read.txt").write_text("The escrow deposit will be released within thirty (30) days.\n",
                                       encoding="utf-8")
    (tmp_path / "unread.txt").write_text(
        "The escrow deposit shall be released some 90 days after an insolvency event.\n"
        "The escrow agent is released from liability.\n", encoding="utf-8")
    out = cli("facts", "--format", "json", "--extractors", tmp_path / "facts", tmp_path / "read.txt",
              tmp_path / "unread.txt").out
    read, unread = json.loads(out)["documents"]
    assert [f["name"] for f in read["facts"]] == ["escrow_release_period"] and read["unread"] == []
    assert [(u["name"], u["evidence"]["line"]) for u in unread["unread"]] == [("escrow_release_period", 1)]
    cues = TopicReader(rulebook((str(tmp_path / "facts"),))).cues("escrow_release_period")
    assert cues == {"en": ["(escrow|deposit) ~ released ~ (within|after) {duration} + a duration value"]}


def test_junit_skips_a_flag_it_could_not_check(cli, workspace):
    out = workspace / "junit.xml"
    cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"junit:{out}")
    import xml.etree.ElementTree as ET

    cases = {case.get("name"): case for case in ET.parse(out).getroot().iter("testcase")}
    deletion = next(case for name, case in cases.items() if "deletion" in name)
    skipped = deletion.find("skipped")
    assert skipped is not None and "could not be read" in skipped.get("message")
    law = next(case for name, case in cases.items() if name.endswith("law") or "law " in name or "law" == name)
    assert law.find("failure") is not None


def test_a_value_read_for_an_implied_fact_marks_its_clause_unread():
    # A notice period for termination without cause is read from a termination-for-convenience
    # clause: with that period read and no termination right, its clause is an unread clause.
    vocabulary = {"facts": {"termination_for_convenience": {"implied_by": ["termination_notice_period"]}}}
    reader = TopicReader(rulebook(), vocabulary)
    document = document_from_text("The Licensor shall have the right to end this Agreement upon thirty (30) days' "
                                  "written notice to the Licensee.", "notice.txt")
    span = document.span(0, 20)
    facts = DocumentFacts("notice.txt", ["en"], [Fact("termination_notice_period", "duration", Duration(Fraction(30), "d"),
                                                      "en", span, "test")])
    assert [(c.name, c.evidence, c.cues) for c in reader.unread(document, facts)] == [
        ("termination_for_convenience", span, ("termination_notice_period read here",))]
    facts.facts.append(Fact("termination_for_convenience", "boolean", True, "en", span, "test"))
    assert reader.unread(document, facts) == []
    shipped = TopicReader(rulebook()).cues("termination_for_convenience")
    assert "a clause from which termination_notice_period was read" in shipped["en"]
    with pytest.raises(ConfigError, match="unknown fact 'no_such_fact'"):
        TopicReader(rulebook(), {"facts": {"auto_renewal": {"implied_by": ["no_such_fact"]}}})


def test_a_value_read_from_a_clause_on_another_cause_implies_nothing():
    # The period was read from a termination on force majeure: the topic's own "!" words say
    # that sentence is no termination for convenience, so no unread clause follows from it.
    vocabulary = {"facts": {"termination_for_convenience": {
        "implied_by": ["termination_notice_period"],
        "en": [["may terminate", "at any time", "!force majeure|breach*"]]}}}
    reader = TopicReader(rulebook(), vocabulary)
    text = ("While a force majeure event goes on, either party may end this Agreement by giving thirty (30) "
            "days' written notice.")
    document = document_from_text(text, "notice.txt")
    start = text.index("thirty")
    span = document.span(start, start + 30)
    assert span.before and "force majeure" in span.before
    facts = DocumentFacts("notice.txt", ["en"], [Fact("termination_notice_period", "duration", Duration(Fraction(30), "d"),
                                                      "en", span, "test")])
    def convenience(topic_reader):
        return [c for c in topic_reader.unread(document, facts) if c.name == "termination_for_convenience"]

    assert convenience(reader) == []
    plain = TopicReader(rulebook(), {"facts": {"termination_for_convenience": {
        "implied_by": ["termination_notice_period"], "en": [["may terminate", "at any time"]]}}})
    assert [(c.evidence, c.cues) for c in convenience(plain)] == [(span, ("termination_notice_period read here",))]


def test_a_slot_in_a_topic_stands_for_a_value_and_needs_no_other_shape():
    vocabulary = {"facts": {"warranty_period": {"en": [["warrant*", "{duration} ~3 from delivery|{hidden}"]]}}}
    reader = TopicReader(rulebook(), vocabulary)

    def about(text):
        return [fact for fact, *_ in reader.clauses_about(document_from_text(text, "w.txt"))]

    assert about("Each unit is warranted for twelve (12) months from delivery.") == ["warranty_period"]
    assert about("Each unit is warranted for [***] after installation.") == ["warranty_period"]
    assert about("Each unit is warranted to work from delivery.") == []


def test_the_fold_leaves_ascii_as_it_is():
    # The topic reading skips the fold for an ASCII text; that is right only while this holds.
    from policycheck.facts.view import fold

    ascii_text = "".join(map(chr, range(128)))
    assert fold(ascii_text) == ascii_text


def test_every_time_unit_holds_a_hint_the_duration_shape_looks_for_first():
    # The topic reading skips the duration shape's regex in a clause holding none of these hints;
    # a unit the duration reader learns must bring its hint along.
    from policycheck.facts.topics import _UNIT_HINTS
    from policycheck.values.durations import DURATION_UNIT_WORDS

    units = [re.sub(r"\\s\+|\?", " ", unit).lower() for unit in DURATION_UNIT_WORDS.split("|")]
    assert units and all(any(hint in unit for hint in _UNIT_HINTS) for unit in units), units


@pytest.mark.parametrize("text, holds", [
    ("free of faults for the period from shipment to the expiry date", True),
    ("kept during the term commencing on signature and ending on the closing", True),
    ("held for a period beginning on the first order until the account is closed", True),
    ("stored for a limited time period only", True),
    ("logs are kept for a finite period", True),
    # A span with no end that is an event or a day is no period ("... and for as long as the law
    # requires us to"); a period with a figure is for the duration reader.
    ("for the period beginning shortly before the filing and for as long as we are required to", False),
    ("for a period of twelve months", False),
    ("during the term of this Agreement", False),
])
def test_a_period_stated_without_a_figure(text, holds):
    assert (re.search(SPAN_PERIOD, text, re.IGNORECASE) is not None) is holds


@pytest.mark.parametrize("text, holds", [
    ("renewable annually", True), ("on a month-to-month basis", True), ("from year to year", True),
    ("for successive quarterly terms", True), ("an annuity", False), ("the yearbook", False),
])
def test_a_period_named_by_how_often_it_comes_round(text, holds):
    assert (re.search(RECURRING_PERIOD, text, re.IGNORECASE) is not None) is holds


def test_the_period_slots_are_topic_slots():
    # {span} and {recurring} stand in a topic's group as {hidden} does, and ask for no other shape.
    reader = TopicReader(rulebook(), {"facts": {"renewal_term": {"en": [["renew*", "{recurring}"]]},
                                                "warranty_period": {"en": [["warrant*", "{span}"]]}}})
    document = document_from_text("The Licence renews yearly.\nThe Maker warrants the parts for a limited "
                                  "time period.\n", "slots.txt")
    assert {fact for fact, *_ in reader.clauses_about(document)} >= {"renewal_term", "warranty_period"}


def test_compare_facts_counts_unread_clauses_per_fact():
    # bench/compare_facts.py --unread: how many unread clauses each version flags, per fact.
    import importlib.util
    path = Path(__file__).resolve().parent.parent / "bench" / "compare_facts.py"
    spec = importlib.util.spec_from_file_location("compare_facts_for_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    documents = [{"unread": [{"name": "governing_law"}, {"name": "warranty_period"}]},
                 {"unread": [{"name": "governing_law"}]}, {"facts": []}]
    assert module._unread_counts(documents) == {"governing_law": 2, "warranty_period": 1}
    shown = module._shown_unread({"name": "governing_law", "cues": ["governed by the laws"],
                                  "evidence": {"line": 3, "column": 1, "text": "Governed by the laws of Ruritania."}})
    assert shown.startswith("unread governing_law 3:1 ('governed by the laws',)")


# --- text in a language policycheck does not read ----------------------------------------------
# (The finding of it is told apart from a language by tests/test_unread_language.py.)

FOREIGN_CONTRACT = (
    "Service Terms\n"
    "\n"
    "This Agreement is governed by the laws of England.\n"
    "Der Anbieter darf das Konto des Nutzers jederzeit und ohne Angabe von Gründen sperren.\n"
)
FOREIGN_POLICY = (
    "rule law { require governing_law in [GB] }\n"
    "rule deletion { require data_deletion_after <= 30d }\n"
    "rule location { require data_location is present }\n"
    "rule kick { flag unilateral_termination }\n"
    "rule court { forbid court_jurisdiction is present }\n"
)


@pytest.fixture
def foreign_workspace(tmp_path):
    (tmp_path / "terms.txt").write_text(FOREIGN_CONTRACT, encoding="utf-8")
    (tmp_path / "p.policy").write_text(FOREIGN_POLICY, encoding="utf-8")
    return tmp_path


def test_rules_left_undecided_by_unread_text_say_so(cli, foreign_workspace):
    result, report = _report(cli, foreign_workspace)
    findings = {f["rule"]: f for f in report["documents"][0]["findings"]}
    # The English clause is read: the law rule decides as ever.
    assert "law" not in findings
    for rule in ("deletion", "location"):
        assert findings[rule]["status"] == "unread"
        assert findings[rule]["message"].startswith(
            "text at line 4 is in a language policycheck does not read; review it")
        assert [span["line"] for span in findings[rule]["evidence"]] == [4]
    unread = findings[UNREAD_CLAUSE]
    assert unread["status"] == "unread" and unread["severity"] == "info"
    assert "(not checked: court, kick)" in unread["message"]
    assert unread["facts"] == {"court_jurisdiction": [], "unilateral_termination": []}
    assert set(findings) == {"deletion", "location", UNREAD_CLAUSE}
    assert report["summary"]["by_status"]["unread"] == 3
    assert result.code == 1


def test_unread_off_drops_the_finding_but_not_the_status(cli, foreign_workspace):
    _, report = _report(cli, foreign_workspace, "--unread", "off")
    findings = {f["rule"]: f for f in report["documents"][0]["findings"]}
    assert UNREAD_CLAUSE not in findings
    assert findings["deletion"]["status"] == "unread"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "github", "sarif"])
def test_every_format_quotes_the_unread_text(cli, foreign_workspace, fmt):
    out = foreign_workspace / f"report.{fmt}"
    cli("run", foreign_workspace / "p.policy", foreign_workspace / "terms.txt", "-q", "-f", f"{fmt}:{out}")
    written = out.read_text(encoding="utf-8")
    assert "in a language policycheck does not read" in written
    assert "Der Anbieter darf" in written


def test_facts_output_lists_unread_text_and_reads_it_back(cli, foreign_workspace):
    text = cli("facts", foreign_workspace / "terms.txt").out
    assert "unread text: not English or Chinese, so not read; it may state any fact" in text
    assert re.search(r"4:1\s+Latin letters\s+\"Der Anbieter darf", text)
    result = cli("facts", "--format", "json", foreign_workspace / "terms.txt")
    document = json.loads(result.out)["documents"][0]
    assert document["unread_text"] == [{"script": "latin", "evidence": {
        "line": 4, "column": 1, "end_line": 4, "end_column": 86,
        "text": "Der Anbieter darf das Konto des Nutzers jederzeit und ohne Angabe von Gründen sperren."}}]
    facts_file = foreign_workspace / "facts.json"
    facts_file.write_text(result.out, encoding="utf-8")
    given = foreign_workspace / "given.json"
    cli("run", foreign_workspace / "p.policy", "--facts", facts_file, "-q", "-f", f"json:{given}")
    _, report = _report(cli, foreign_workspace)
    keep = ("rule", "status", "severity", "message")
    assert [{k: f[k] for k in keep} for f in json.loads(given.read_text(encoding="utf-8"))["documents"][0]["findings"]] \
        == [{k: f[k] for k in keep} for f in report["documents"][0]["findings"]]


def test_given_unread_text_with_a_bad_script_is_named(cli, foreign_workspace):
    facts_file = foreign_workspace / "facts.json"
    facts_file.write_text(json.dumps({"schema": "policycheck/facts/v1", "documents": [
        {"path": "a.txt", "facts": [], "unread_text": [{"script": "klingon", "evidence": {
            "line": 1, "column": 1, "end_line": 1, "end_column": 3, "text": "abc"}}]}]}), encoding="utf-8")
    result = cli("run", foreign_workspace / "p.policy", "--facts", facts_file)
    assert result.code == 2
    assert "documents[0].unread_text[0]: unread text is an object with script (latin or other)" in result.err


def test_cached_facts_keep_unread_text(cli, foreign_workspace, tmp_path):
    cache = tmp_path / "cache"
    outputs = [foreign_workspace / "first.json", foreign_workspace / "second.json"]
    for out in outputs:
        cli("run", foreign_workspace / "p.policy", foreign_workspace / "terms.txt", "-q", "--cache", cache, "-f", f"json:{out}")
    assert list(cache.rglob("*.json"))
    first, second = (out.read_text(encoding="utf-8") for out in outputs)
    assert first == second and "in a language policycheck does not read" in second


def test_require_present_is_unread_on_an_unread_clause(cli, tmp_path):
    # The deletion clause hides its period: "is present" cannot say the contract is silent.
    (tmp_path / "terms.txt").write_text(
        "The Provider deletes all Customer Data within [***] after this Agreement ends.\n", encoding="utf-8")
    (tmp_path / "p.policy").write_text("rule deletion { require data_deletion_after is present }\n"
                                       "rule silent { forbid data_deletion_after is missing }\n", encoding="utf-8")
    out = tmp_path / "r.json"
    cli("run", tmp_path / "p.policy", tmp_path / "terms.txt", "-q", "-f", f"json:{out}")
    findings = {f["rule"]: f for f in json.loads(out.read_text(encoding="utf-8"))["documents"][0]["findings"]}
    assert set(findings) == {"deletion", UNREAD_CLAUSE}
    assert findings["deletion"]["status"] == "unread"
    assert findings["deletion"]["message"].startswith(
        "a data_deletion_after clause was found at line 1 but its value could not be read; review it")
    # The forbid could not tell either: it did not fire, and the built-in finding names it.
    assert "(not checked: silent)" in findings[UNREAD_CLAUSE]["message"]
