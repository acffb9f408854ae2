"""Text in a language policycheck does not read: found, listed, and never taken for silence.

The sentences are written for these tests: each foreign one says something a contract might say;
each near miss is English that holds a foreign name, a Latin phrase, an address or a table of
place names, or a fragment too short to tell.
"""

from __future__ import annotations

import json
import re

import pytest

from policycheck.document.load import document_from_text
from policycheck.document.unread_language import language_not_read, unread_text
from policycheck.facts.engine import extractor
from policycheck.findings.unread import UNREAD_CLAUSE
from policycheck.pipeline import read_document

NOT_READ = [
    ("latin", "Der Anbieter darf diese Bedingungen jederzeit ändern, wenn er die Nutzer vorher informiert."),
    ("latin", "Die Protokolle werden nach zwei Wochen gelöscht und nicht an Dritte weitergegeben."),
    ("latin", "Le prestataire conserve les journaux de connexion pendant douze mois pour des raisons de sécurité."),
    ("latin", "Tarifs donnés à titre indicatif sans engagement."),          # short, no English word, accents
    ("latin", "El proveedor puede cancelar la cuenta del usuario sin previo aviso y sin explicar la causa."),
    ("latin", "Il fornitore non è responsabile per i danni indiretti subiti dal cliente nel corso del servizio."),
    ("latin", "De aanbieder mag het account van de gebruiker op elk moment beëindigen zonder opgaaf van redenen."),
    ("latin", "O usuário não pode usar o serviço se tiver menos de dezesseis anos de idade."),
    ("latin", "Leverantören får säga upp avtalet med omedelbar verkan om kunden inte betalar."),
    ("latin", "Usługodawca może zmienić regulamin w każdej chwili, o czym poinformuje użytkownika przez e-mail."),
    ("latin", "Hizmet sağlayıcı bu sözleşmeyi tek taraflı olarak ve önceden bildirimde bulunmaksızın değiştirebilir."),
    ("latin", "Penyedia layanan dapat menghapus akun anda kapan saja tanpa pemberitahuan dan tanpa alasan."),
    ("latin", "Furnizorul poate modifica acești termeni în orice moment, iar utilizatorul este informat prin e-mail."),
    ("other", "Поставщик вправе изменять условия соглашения в одностороннем порядке."),
    ("other", "Ο πάροχος μπορεί να διαγράψει τον λογαριασμό χωρίς προειδοποίηση."),
    ("other", "本サービスの利用規約は、予告なく変更されることがあります。"),
    ("other", "회사는 사전 통지 없이 약관을 변경할 수 있습니다."),
    ("other", "当社は、利用者の事前承諾なく本規約を変更できるものとし、変更後の規約は当社所定の方法で告知する。"),
]

READ_AS_ENGLISH = [
    "The Provider may change these terms at any time on thirty days' notice.",
    "Payments are made to Banco de la Nación, and the parties agree, inter alia, to act in good faith.",
    "Neither party is liable for delays caused by force majeure, as set out in the annex.",
    "Notices go to the Supplier at 12 Rue de la Paix, Paris, France.",
    "Store 41 Des Moines IA 50310 Store 42 Coralville IA 52241 Store 43 Lincoln NE 68508 "
    "Store 44 Peoria IL 61602 Store 45 Joliet IL 60431 Store 46 Omaha NE 68102",
    "British Columbia, Canada.",
    "Vendor: Müller Feinkost GmbH, Köln.",
    "The licence is granted to Société Générale de Services et Développement.",
    "本协议适用中华人民共和国法律。",
    "甲方应在收到发票后三十日内付款，逾期付款的，按日支付万分之五的违约金。",
    "We've read the terms, and we're sure you've agreed to them as they stand.",
    "See Smith et al. at 12, and Jones v. Dan Holdings, cited in the annex to this Agreement.",
    "The parties to this Agreement are (i) the Buyer, (u) the Seller and (y) the Agent, as set out below.",
    "Mr. Ivanov (Иванов) signs for the Buyer and accepts the terms of this Agreement as written.",
]


@pytest.mark.parametrize("script, text", NOT_READ, ids=[text[:30] for _, text in NOT_READ])
def test_a_sentence_in_another_language_is_not_read(script, text):
    assert language_not_read(text) == script


@pytest.mark.parametrize("text", READ_AS_ENGLISH, ids=[text[:30] for text in READ_AS_ENGLISH])
def test_english_with_foreign_words_is_read(text):
    assert language_not_read(text) is None


def test_consecutive_sentences_make_one_run_with_its_place():
    text = ("Service Terms\n"
            "\n"
            "This Agreement is governed by the laws of England.\n"
            "Die Protokolle werden nach zwei Wochen gelöscht. Sie werden nicht an Dritte weitergegeben.\n"
            "The Customer pays within 30 days of the invoice.\n"
            "Поставщик вправе изменять условия соглашения в одностороннем порядке.\n")
    runs, languages = unread_text(document_from_text(text, "terms.txt"))
    assert [(run.script, run.evidence.line, run.evidence.column, run.evidence.end_line) for run in runs] == [
        ("latin", 4, 1, 4), ("other", 6, 1, 6)]
    assert runs[0].evidence.text == ("Die Protokolle werden nach zwei Wochen gelöscht. "
                                     "Sie werden nicht an Dritte weitergegeben.")
    assert languages == ["en"]


def test_a_document_wholly_in_another_language_is_read_in_none():
    facts = read_document(document_from_text(NOT_READ[0][1] + "\n" + NOT_READ[1][1] + "\n", "agb.txt"), extractor())
    assert facts.languages == []
    assert [text.evidence.line for text in facts.unread_text] == [1]
    assert not facts.facts


def test_an_english_contract_has_no_unread_text():
    facts = read_document(document_from_text("\n".join(READ_AS_ENGLISH[:4]) + "\n", "terms.txt"), extractor())
    assert facts.unread_text == []


# --- evaluation, reports, facts output ------------------------------------------------------------

CONTRACT = (
    "Service Terms\n"
    "\n"
    "This Agreement is governed by the laws of England.\n"
    "Der Anbieter darf das Konto des Nutzers jederzeit und ohne Angabe von Gründen sperren.\n"
)
POLICY = (
    "rule law { require governing_law in [GB] }\n"
    "rule deletion { require data_deletion_after <= 30d }\n"
    "rule location { require data_location is present }\n"
    "rule kick { flag unilateral_termination }\n"
    "rule court { forbid court_jurisdiction is present }\n"
)


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "terms.txt").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "p.policy").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _report(cli, workspace, *options):
    out = workspace / "report.json"
    result = cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"json:{out}", *options)
    return result, json.loads(out.read_text(encoding="utf-8"))


def test_rules_left_undecided_by_unread_text_say_so(cli, workspace):
    result, report = _report(cli, workspace)
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


def test_unread_off_drops_the_finding_but_not_the_status(cli, workspace):
    _, report = _report(cli, workspace, "--unread", "off")
    findings = {f["rule"]: f for f in report["documents"][0]["findings"]}
    assert UNREAD_CLAUSE not in findings
    assert findings["deletion"]["status"] == "unread"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "github", "sarif"])
def test_every_format_quotes_the_unread_text(cli, workspace, fmt):
    out = workspace / f"report.{fmt}"
    cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "-f", f"{fmt}:{out}")
    written = out.read_text(encoding="utf-8")
    assert "in a language policycheck does not read" in written
    assert "Der Anbieter darf" in written


def test_facts_output_lists_unread_text_and_reads_it_back(cli, workspace):
    text = cli("facts", workspace / "terms.txt").out
    assert "unread text: not English or Chinese, so not read; it may state any fact" in text
    assert re.search(r"4:1\s+Latin letters\s+\"Der Anbieter darf", text)
    result = cli("facts", "--format", "json", workspace / "terms.txt")
    document = json.loads(result.out)["documents"][0]
    assert document["unread_text"] == [{"script": "latin", "evidence": {
        "line": 4, "column": 1, "end_line": 4, "end_column": 86,
        "text": "Der Anbieter darf das Konto des Nutzers jederzeit und ohne Angabe von Gründen sperren."}}]
    facts_file = workspace / "facts.json"
    facts_file.write_text(result.out, encoding="utf-8")
    given = workspace / "given.json"
    cli("run", workspace / "p.policy", "--facts", facts_file, "-q", "-f", f"json:{given}")
    _, report = _report(cli, workspace)
    keep = ("rule", "status", "severity", "message")
    assert [{k: f[k] for k in keep} for f in json.loads(given.read_text(encoding="utf-8"))["documents"][0]["findings"]] \
        == [{k: f[k] for k in keep} for f in report["documents"][0]["findings"]]


def test_given_unread_text_with_a_bad_script_is_named(cli, workspace):
    facts_file = workspace / "facts.json"
    facts_file.write_text(json.dumps({"schema": "policycheck/facts/v1", "documents": [
        {"path": "a.txt", "facts": [], "unread_text": [{"script": "klingon", "evidence": {
            "line": 1, "column": 1, "end_line": 1, "end_column": 3, "text": "abc"}}]}]}), encoding="utf-8")
    result = cli("run", workspace / "p.policy", "--facts", facts_file)
    assert result.code == 2
    assert "documents[0].unread_text[0]: unread text is an object with script (latin or other)" in result.err


def test_cached_facts_keep_unread_text(cli, workspace, tmp_path):
    cache = tmp_path / "cache"
    outputs = [workspace / "first.json", workspace / "second.json"]
    for out in outputs:
        cli("run", workspace / "p.policy", workspace / "terms.txt", "-q", "--cache", cache, "-f", f"json:{out}")
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
