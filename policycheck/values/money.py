"""Amounts of money as contracts write them, in English and Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from policycheck.values.alternation import alternation
from policycheck.values.numbers import DIGITS, EN_NUMBER_WORD, FULL_WIDTH, ZH_NUMBER, parse_number
from policycheck.values.types import Money

# How English text names a currency, one table per form; the finder's regex and the reader are
# both made from them. Symbols stand before the amount, names after it, ISO codes either side.
_SYMBOLS = {"US$": "USD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD", "NT$": "TWD", "A$": "AUD", "AU$": "AUD",
            "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY",
            "￥": "CNY", "₹": "INR", "Rs.": "INR"}
_NAMES = {"US dollars": "USD", "U.S. dollars": "USD", "United States dollars": "USD", "Hong Kong dollars": "HKD",
          "Singapore dollars": "SGD", "Canadian dollars": "CAD", "Australian dollars": "AUD",
          "New Zealand dollars": "NZD", "New Taiwan dollars": "TWD", "dollars": "USD", "euros": "EUR", "euro": "EUR",
          "pounds sterling": "GBP", "pounds": "GBP", "sterling": "GBP", "yuan": "CNY", "renminbi": "CNY",
          "Swiss francs": "CHF", "yen": "JPY", "Indian rupees": "INR", "rupees": "INR", "roubles": "RUB",
          "rubles": "RUB"}
# Codes that are not also English words (ALL, TOP, TRY, PHP, MOP ... are left out): the finder
# reads the lower-cased sentence, where "try 500" would otherwise be an amount.
_CODES = {code: code for code in ("USD EUR GBP CNY CNH HKD SGD JPY CAD AUD CHF NZD TWD INR KRW SEK NOK DKK BRL MXN "
                                  "ZAR AED SAR THB MYR IDR VND RUB PLN CZK HUF ILS").split()}
_CODES["RMB"] = "CNY"
_SCALE_WORDS = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1000, "m": 1_000_000,
                "mn": 1_000_000, "bn": 1_000_000_000}


_SCALE = rf"(?:{alternation(_SCALE_WORDS)})\b"
# An amount may group its thousands with spaces ("RUB 50 000 000") where a currency names it.
_AMOUNT = rf"(?:[0-9]{{1,3}}(?:[ \u00a0][0-9]{{3}})+(?![0-9])|{DIGITS})"
_MONEY_EN = (
    # No letter right before a symbol or code: "hours. 10" holds no "Rs. 10".
    rf"(?:(?<![A-Za-z])(?:{alternation(_SYMBOLS)}|(?:{alternation(_CODES)})\s*)\s*{_AMOUNT}(?:\s*{_SCALE})?"
    rf"|(?:{DIGITS}|{EN_NUMBER_WORD})(?:\s*{_SCALE})?\s*(?:(?:{alternation(_NAMES)})|(?:{alternation(_CODES)})\b))"
)
# Chinese names of currencies (the view writes traditional characters as simplified ones; both are
# here for text read as written).
_ZH_CURRENCIES = {
    "新台币": "TWD", "新台幣": "TWD", "新臺幣": "TWD", "台币": "TWD", "台幣": "TWD", "臺幣": "TWD",
    "港币": "HKD", "港幣": "HKD", "港元": "HKD", "澳门币": "MOP", "澳門幣": "MOP", "澳门元": "MOP", "澳門元": "MOP",
    "澳大利亚元": "AUD", "澳元": "AUD", "新加坡元": "SGD", "新币": "SGD", "欧元": "EUR", "歐元": "EUR",
    "英镑": "GBP", "英鎊": "GBP", "日元": "JPY", "日圆": "JPY", "日圓": "JPY", "美元": "USD", "美金": "USD",
    "人民币": "CNY", "人民幣": "CNY",
}
_ZH_CURRENCY = alternation(_ZH_CURRENCIES)
_MONEY_ZH = (rf"(?:(?:{_ZH_CURRENCY}|￥|¥)?\s*{ZH_NUMBER}\s*(?:万|萬)?\s*(?:元|圆|圓|块)(?:人民币|人民幣)?"
             rf"|(?:{_ZH_CURRENCY})\s*{ZH_NUMBER}(?:\s*(?:万|萬))?|{ZH_NUMBER}\s*(?:万|萬)?\s*(?:{_ZH_CURRENCY}))")
MONEY_PATTERN = rf"(?:{_MONEY_EN}|{_MONEY_ZH})"


def parse_money(text: str) -> Money | None:
    """An amount with its currency ('USD 1,000,000', '$2 million', 'NT$3,000', '人民币5万元'); None
    without a currency."""
    cleaned = " ".join(text.translate(FULL_WIDTH).split())
    currency = _currency(cleaned)
    if currency is None:
        return None
    number_match = re.search(rf"{_AMOUNT}|{ZH_NUMBER}", cleaned) or re.search(EN_NUMBER_WORD, cleaned, re.IGNORECASE)
    if not number_match:
        return None
    number = number_match.group(0)
    if number[:1].isdigit():
        number = number.replace(" ", "").replace("\u00a0", "")      # "50 000 000"
    # "€5.000": dots between groups of three digits are a European thousands separator.
    if currency == "EUR" and re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", number):
        number = number.replace(".", "")
    amount = parse_number(number)
    if amount is None:
        return None
    # A scale word after the number ("$2 million", "$250k"; "two hundred thousand" is read whole above).
    scale = re.match(rf"\s*({_SCALE})", cleaned[number_match.end():], re.IGNORECASE)
    if scale:
        amount *= _SCALE_WORDS[scale.group(1).lower()]
    elif re.match(r"\s*[万萬]", cleaned[number_match.end():]):
        amount *= 10_000   # 5万元; in 伍万元 the 万 is part of the numeral already
    return Money(currency, Decimal(amount))


_EN_CURRENCY = re.compile(
    rf"(?<![A-Za-z])(?P<symbol>{alternation(_SYMBOLS)})|(?<![A-Za-z])(?P<code>{alternation(_CODES)})(?![A-Za-z])"
    rf"|(?P<name>{alternation(_NAMES)})", re.IGNORECASE)
# Each form's words as the search may find them (in any case, spaced any way) -> currency.
_FOUND_AS = {kind: {" ".join(word.lower().split()): code for word, code in table.items()}
             for kind, table in (("symbol", _SYMBOLS), ("code", _CODES), ("name", _NAMES))}
_BARE_YUAN = re.compile(r"元|圆|圓|块")


def _currency(text: str) -> str | None:
    """The currency an amount's text names: a Chinese currency name, an English symbol, code or
    name (the first one, longest at its place), else 元 for the renminbi."""
    named = re.search(_ZH_CURRENCY, text)
    if named:
        return _ZH_CURRENCIES[named.group(0)]
    found = _EN_CURRENCY.search(text)
    if found:
        kind = found.lastgroup
        return _FOUND_AS[kind].get(" ".join(found.group(kind).lower().split()))
    return "CNY" if _BARE_YUAN.search(text) else None
