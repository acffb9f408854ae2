"""Text in a language policycheck does not read: which sentences are in another language.

The sentences are written for these tests: each foreign one says something a contract might say;
each near miss is English that holds a foreign name, a Latin phrase, an address or a table of
place names, or a fragment too short to tell. What a run reports for such text is tested with
the other unread findings (tests/test_unread.py).
"""

from __future__ import annotations

import pytest

from policycheck.document.load import document_from_text
from policycheck.document.unread_language import language_not_read, unread_text
from policycheck.facts.engine import extractor
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
    document = document_from_text(text, "terms.txt")
    runs, left_out = unread_text(document)
    assert [(run.script, run.evidence.line, run.evidence.column, run.evidence.end_line) for run in runs] == [
        ("latin", 4, 1, 4), ("other", 6, 1, 6)]
    assert runs[0].evidence.text == ("Die Protokolle werden nach zwei Wochen gelöscht. "
                                     "Sie werden nicht an Dritte weitergegeben.")
    assert document.languages_except(left_out) == ["en"]


def test_a_document_wholly_in_another_language_is_read_in_none():
    facts = read_document(document_from_text(NOT_READ[0][1] + "\n" + NOT_READ[1][1] + "\n", "agb.txt"), extractor())
    assert facts.languages == []
    assert [text.evidence.line for text in facts.unread_text] == [1]
    assert not facts.facts


def test_an_english_contract_has_no_unread_text():
    facts = read_document(document_from_text("\n".join(READ_AS_ENGLISH[:4]) + "\n", "terms.txt"), extractor())
    assert facts.unread_text == []
