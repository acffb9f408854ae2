"""Random contract-like text for fuzzing extraction: shared by tests/test_fuzz.py (hypothesis)
and bench/fuzz_facts.py (a long, time-bounded session)."""

from __future__ import annotations

import random

# Pieces that reach deep into the extraction code: trigger words, numerals in every script,
# units, comparators, negations, clause numbers, brackets, punctuation and line breaks.
VOCABULARY = [
    "governed by", "the laws of", "laws of", "State of", "New York", "England", "Hong Kong", "PRC", "China",
    "arbitration", "seat", "venue", "CIETAC", "HKIAC", "ICC", "courts", "exclusive", "jurisdiction",
    "delete", "deleted", "Customer Data", "after", "termination", "expiry", "within", "no later than",
    "at least", "not", "never", "except", "unless", "notice", "days", "day", "business days", "months",
    "hours", "weeks", "years", "year", "thirty", "(30)", "ninety", "one hundred", "twenty-one", "99.9%",
    "99.9％", "percent", "USD", "$", "1,000,000", "fees paid", "twelve (12) months", "liability", "cap",
    "indirect", "consequential", "as is", "warranty", "renew", "automatically", "terminate", "convenience",
    "本协议", "适用", "中华人民共和国", "法律", "仲裁", "委员会", "中国国际经济贸易仲裁委员会", "上海", "北京",
    "武汉仲裁委员会", "删除", "数据", "终止", "后", "日", "天", "个月", "小时", "工作日", "三十", "六十", "九十",
    "十五", "一年半", "半年", "百分之九十九点九", "壹佰", "以内", "以上", "不超过", "超过", "不得", "但", "除外",
    "提前", "通知", "第三条", "一、", "1.1", "(a)", "I.", "（", "）", "。", "，", "；", ".", ",", ";", ":",
    "\n", "\n\n", "\r\n", "\t", "\u3000", "\u00a0", " ", "  ", "(", ")", "[", "]", "的", "和", "或",
    "０１２３", "３０日", "—", "…", "“", "”", "'", '"', "\ufeff", "\u200b", "𠀀", "é", "ß",
]


def random_contract_text(rng: random.Random, pieces: int) -> str:
    """``pieces`` vocabulary items and random characters, joined with spaces or not at all."""
    out = []
    for _ in range(pieces):
        roll = rng.random()
        if roll < 0.85:
            out.append(rng.choice(VOCABULARY))
        elif roll < 0.95:
            out.append(str(rng.randint(0, 10 ** rng.randint(1, 12))))
        else:
            code = rng.randint(0x20, 0x2FFFF) if rng.random() < 0.5 else rng.randint(0x20, 0x7E)
            out.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd")   # no lone surrogates in files
        out.append(" " if rng.random() < 0.6 else "")
    return "".join(out)


def check_facts_of(text: str) -> list:
    """Extract facts from ``text`` and check what must hold for any input; return the facts."""
    from policycheck.document import document_from_text
    from policycheck.facts.engine import extractor

    document = document_from_text(text, "fuzz.txt")
    facts = extractor().extract(document).facts
    lines = document.text.split("\n")
    for fact in facts:
        span = fact.evidence
        assert 1 <= span.line <= span.end_line <= len(lines), (fact, len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, fact
        assert span.text and span.text == span.text.strip(), fact
        first_word = span.text.split()[0]
        assert first_word in lines[span.line - 1], (first_word, lines[span.line - 1])
        fact.as_dict()          # every value can be written out
    return facts
