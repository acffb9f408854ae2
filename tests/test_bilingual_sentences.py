"""A Chinese clause and its English translation in one sentence are read as two sentences.

Bilingual contracts often set a clause and its translation side by side with no final stop
between them; each half must meet its own language's rules.
"""

from __future__ import annotations

import pytest

from policycheck.document.load import document_from_text
from policycheck.document.segment import segment
from policycheck.facts.engine import extractor


def _pieces(text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.language) for s in segment(text)]


@pytest.mark.parametrize("text, expected", [
    # Chinese, a slash, then English.
    ("买方应在收到账单后二十日内付清货款 / The Buyer shall settle each bill within twenty days of receiving it.\n",
     [("买方应在收到账单后二十日内付清货款", "zh"),
      ("The Buyer shall settle each bill within twenty days of receiving it.", "en")]),
    # English first, its stop glued to the Chinese.
    ("This contract is governed by the laws of the Hong Kong Special Administrative Region.本合同适用香港法律。\n",
     [("This contract is governed by the laws of the Hong Kong Special Administrative Region.", "en"),
      ("本合同适用香港法律。", "zh")]),
    # The translation in brackets after the Chinese.
    ("本合同一式两份（This contract is signed in two originals, one for each of the parties）\n",
     [("本合同一式两份", "zh"), ("This contract is signed in two originals, one for each of the parties", "en")]),
])
def test_a_clause_and_its_translation_are_two_sentences(text, expected):
    assert _pieces(text) == expected


@pytest.mark.parametrize("text", [
    # A product name in English inside a Chinese sentence.
    "客户可订购Harbor Cloud Storage Premium Plan for Small Teams的服务，按月计费。\n",
    # A Chinese name inside an English sentence: the English part does not reach the start.
    "Party A: 南岭数据服务有限公司, a company registered in the city, shall pay the fees monthly.\n",
    # A Chinese term in brackets inside an English sentence.
    "The availability (服务可用性的月度指标) of the platform shall be measured by the Provider every month.\n",
    # Too few English words to be a clause of their own.
    "本服务按照 the service level schedule 执行。\n",
])
def test_an_embedded_name_or_term_leaves_the_sentence_whole(text):
    assert len(_pieces(text)) == 1


def test_both_halves_give_their_facts_with_their_own_evidence():
    text = "第五条 付款\n买方应在收到账单后二十日内付清货款 / The Buyer shall pay each invoice within twenty (20) days.\n"
    facts = [(f.name, f.shown(), f.language, f.evidence.line, f.evidence.text)
             for f in extractor().extract(document_from_text(text)).facts]
    assert facts == [
        ("payment_term", "20d", "zh", 2, "收到账单后二十日内付清"),
        ("payment_term", "20d", "en", 2, "pay each invoice within twenty (20) days"),
    ]
