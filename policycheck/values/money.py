"""Amounts of money as contracts write them, in English and Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from policycheck.values.numbers import DIGITS, EN_NUMBER_WORD, FULL_WIDTH, ZH_NUMBER, parse_number
from policycheck.values.types import Money

_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP",
                     "GBP": "GBP", "¥": "CNY", "￥": "CNY", "RMB": "CNY", "CNY": "CNY", "HK$": "HKD",
                     "HKD": "HKD", "S$": "SGD", "SGD": "SGD", "JPY": "JPY", "CAD": "CAD", "AUD": "AUD",
                     "CHF": "CHF"}
_SCALE_WORDS = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1000, "m": 1_000_000}
_MONEY_EN = (
    r"(?:(?:US\$|HK\$|S\$|\$|€|£|¥|￥|(?:USD|EUR|GBP|CNY|RMB|HKD|SGD|JPY|CAD|AUD|CHF)\s*)"
    rf"\s*{DIGITS}(?:\s*(?:million|thousand|billion)\b)?"
    rf"|(?:{DIGITS}|{EN_NUMBER_WORD})(?:\s*(?:million|thousand|billion))?\s*(?:US\s+dollars|U\.S\.\s+dollars|dollars|euros?|pounds|"
    r"(?:USD|EUR|GBP|CNY|RMB|HKD|SGD|JPY)\b|yuan|renminbi))"
)
# Chinese names of currencies (the view writes traditional characters as simplified ones; both are
# here for text read as written), longest first where one holds another.
_ZH_CURRENCIES = {
    "新台币": "TWD", "新台幣": "TWD", "新臺幣": "TWD", "台币": "TWD", "台幣": "TWD", "臺幣": "TWD",
    "港币": "HKD", "港幣": "HKD", "港元": "HKD", "澳门币": "MOP", "澳門幣": "MOP", "澳门元": "MOP", "澳門元": "MOP",
    "澳大利亚元": "AUD", "澳元": "AUD", "新加坡元": "SGD", "新币": "SGD", "欧元": "EUR", "歐元": "EUR",
    "英镑": "GBP", "英鎊": "GBP", "日元": "JPY", "日圆": "JPY", "日圓": "JPY", "美元": "USD", "美金": "USD",
    "人民币": "CNY", "人民幣": "CNY",
}
_ZH_CURRENCY = "|".join(sorted(_ZH_CURRENCIES, key=len, reverse=True))
_MONEY_ZH = (rf"(?:(?:{_ZH_CURRENCY}|￥|¥)?\s*{ZH_NUMBER}\s*(?:万|萬)?\s*(?:元|圆|圓|块)(?:人民币|人民幣)?"
             rf"|(?:{_ZH_CURRENCY})\s*{ZH_NUMBER}(?:\s*(?:万|萬))?|{ZH_NUMBER}\s*(?:万|萬)?\s*(?:{_ZH_CURRENCY}))")
MONEY_PATTERN = rf"(?:{_MONEY_EN}|{_MONEY_ZH})"


def parse_money(text: str) -> Money | None:
    """An amount with its currency ('USD 1,000,000', '$2 million', '人民币5万元'); None without a currency."""
    cleaned = " ".join(text.translate(FULL_WIDTH).split())
    currency = "CNY" if re.search(r"元|圆|块|人民币|人民幣|RMB|yuan|renminbi|¥|￥", cleaned, re.IGNORECASE) else None
    if re.search(r"美元|美金|dollars?|US\$|\$", cleaned, re.IGNORECASE):
        # "US$" and "HK$" hold "S$" and "$": the longest symbol decides.
        currency = "HKD" if "HK$" in cleaned else "SGD" if re.search(r"(?<![A-Z])S\$", cleaned) else "USD"
    named = re.search(_ZH_CURRENCY, cleaned)
    if named:
        currency = _ZH_CURRENCIES[named.group(0)]
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol.isalpha() and re.search(rf"\b{symbol}\b", cleaned):
            currency = code
    if re.search(r"euros?|€", cleaned, re.IGNORECASE):
        currency = "EUR"
    if re.search(r"pounds|£", cleaned, re.IGNORECASE):
        currency = "GBP"
    if currency is None:
        return None
    number_match = re.search(rf"{DIGITS}|{ZH_NUMBER}", cleaned) or re.search(EN_NUMBER_WORD, cleaned, re.IGNORECASE)
    if not number_match:
        return None
    amount = parse_number(number_match.group(0))
    if amount is None:
        return None
    # A scale word after the number ("$2 million", "two hundred thousand" is read whole above).
    scale = re.match(r"\s*(million|thousand|billion)\b", cleaned[number_match.end():], re.IGNORECASE)
    if scale:
        amount *= _SCALE_WORDS[scale.group(1).lower()]
    elif re.match(r"\s*[万萬]", cleaned[number_match.end():]):
        amount *= 10_000   # 5万元; in 伍万元 the 万 is part of the numeral already
    return Money(currency, Decimal(amount))
