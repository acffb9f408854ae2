"""Policy-language literal text -> typed value, for a given fact type.

One function serves the static checker (literals in policies), ``run --facts`` (YAML values
written as policy literals) and facts/v1 JSON read back in. Errors are ValueError with a message
that names the expected type; callers add the position.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from policycheck.values.jurisdictions import is_known_code
from policycheck.values.types import Duration, EnumValue, Jurisdiction, Money, Percent, Value

DURATION_LITERAL = re.compile(r"^(\d+(?:\.\d+)?)(mo|bd|d|h|w|y)$")
PERCENT_LITERAL = re.compile(r"^(\d+(?:\.\d+)?)%$")
MONEY_LITERAL = re.compile(r"^([A-Z]{3})\s+(\d+(?:\.\d+)?)$")
NUMBER_LITERAL = re.compile(r"^-?\d+(?:\.\d+)?$")
# ISO 4217 currency codes (active, funds and precious-metal codes), plus CNH, the offshore
# renminbi that Hong Kong contracts name. A typo such as "UDS 100" would otherwise never compare.
CURRENCY_CODES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
BYN BZD CAD CDF CHE CHF CHW CLF CLP CNH CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN
ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD
XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
""".split())
CODE_LITERAL = re.compile(r"^[A-Z]{2,3}(?:-[A-Z0-9]{1,3})?$")


def literal_kind(text: str) -> str:
    """What a literal looks like on its own: duration, percent, money, number, or name."""
    if DURATION_LITERAL.match(text):
        return "duration"
    if PERCENT_LITERAL.match(text):
        return "percent"
    if MONEY_LITERAL.match(text):
        return "money"
    if NUMBER_LITERAL.match(text):
        return "number"
    if text in ("true", "false"):
        return "boolean"
    return "name"


# Digits a number in a literal may have. More never means anything in a contract, and each
# value must print back exactly (decimal arithmetic keeps 28 significant digits), while a
# literal of a million digits would take minutes to convert.
MAX_LITERAL_DIGITS = 24
_DIGIT_RUN = re.compile(r"\d+(?:\.\d+)?")


def _check_size(text: str) -> None:
    """Refuse a literal whose number has more than MAX_LITERAL_DIGITS digits, before any
    conversion (checked on the text: the regexes below only ever see bounded numbers)."""
    if len(text) > 4 * MAX_LITERAL_DIGITS:
        number = max(_DIGIT_RUN.findall(text[:4 * MAX_LITERAL_DIGITS + 1]) or [""], key=len)
        raise ValueError(f"{_shorten(text)} is too long for a literal; a number in a literal has at most "
                         f"{MAX_LITERAL_DIGITS} digits" if number else
                         f"{_shorten(text)} is too long for a literal")
    for number in _DIGIT_RUN.findall(text):
        digits = len(number.replace(".", "").lstrip("0")) or 1
        if digits > MAX_LITERAL_DIGITS:
            raise ValueError(f"{_shorten(text)} has {digits} significant digits; a number in a literal has at most "
                             f"{MAX_LITERAL_DIGITS}")


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "..."


def parse_duration_literal(text: str) -> Duration:
    _check_size(text)
    match = DURATION_LITERAL.match(text)
    if not match:
        raise ValueError(f"{text} is not a duration (write e.g. 90d, 12h, 2w, 3mo, 1y, 5bd)")
    return Duration(Fraction(Decimal(match[1])), match[2])


def literal_text(value) -> str:
    """A YAML scalar written as a literal (``true``, ``30d``, ``CN``): YAML reads ``true`` as a bool."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_literal(fact_type: str, text: str, enum_values: tuple[str, ...] = ()) -> Value:
    """Read literal ``text`` as a value of ``fact_type``; raise ValueError if it is not one."""
    text = text.strip()
    if fact_type in ("percent", "money", "number"):
        _check_size(text)
    if fact_type == "duration":
        return parse_duration_literal(text)
    if fact_type == "percent":
        match = PERCENT_LITERAL.match(text)
        if not match:
            raise ValueError(f"{text} is not a percent (write e.g. 99.9%)")
        return Percent(Decimal(match[1]))
    if fact_type == "money":
        match = MONEY_LITERAL.match(text)
        if not match:
            raise ValueError(f"{text} is not an amount of money (write e.g. USD 1000000)")
        if match[1] not in CURRENCY_CODES:
            raise ValueError(f"{match[1]} is not an ISO 4217 currency code")
        return Money(match[1], Decimal(match[2]))
    if fact_type == "number":
        try:
            return Decimal(text) if NUMBER_LITERAL.match(text) else _fail(f"{text} is not a number")
        except InvalidOperation:
            raise ValueError(f"{text} is not a number") from None
    if fact_type == "boolean":
        if text not in ("true", "false"):
            raise ValueError(f"{text} is not a boolean (write true or false)")
        return text == "true"
    if fact_type == "jurisdiction":
        if not is_known_code(text):
            raise ValueError(f"{text} is not a known jurisdiction code")
        return Jurisdiction(text)
    if fact_type == "enum":
        if text not in enum_values:
            raise ValueError(f"{text} is not one of {', '.join(enum_values)}")
        return EnumValue(text)
    if fact_type == "string":
        return text
    raise ValueError(f"unknown fact type {fact_type}")


def _fail(message: str):
    raise ValueError(message)
