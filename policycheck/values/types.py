"""Typed values shared by the policy language and the extractors.

A value is written back as the policy-language literal it equals (``90d``, ``99.9%``,
``USD 5000``, ``US-NY``), which is how reports and facts/v1 JSON show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# Calendar days per unit (DESIGN 3.3): business days count as 7/5 of a calendar day.
DAYS_PER_UNIT: dict[str, Fraction] = {
    "h": Fraction(1, 24),
    "d": Fraction(1),
    "bd": Fraction(7, 5),
    "w": Fraction(7),
    "mo": Fraction(30),
    "y": Fraction(365),
}

UNIT_NAMES = {"h": "hours", "d": "days", "bd": "business days", "w": "weeks", "mo": "months", "y": "years"}


def _format_decimal(number: Decimal | Fraction | int) -> str:
    if isinstance(number, Fraction):
        if number.denominator == 1:
            return str(number.numerator)
        number = Decimal(number.numerator) / Decimal(number.denominator)
    # format "f" writes every digit; normalize() would round to the context's 28 digits.
    text = format(Decimal(number), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Duration:
    """A length of time in a unit; compared in calendar days."""

    amount: Fraction
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in DAYS_PER_UNIT:
            raise ValueError(f"unknown duration unit {self.unit!r}")
        # Readers mostly hand over a Fraction already; building an equal one again costs time
        # on every duration a contract states.
        if type(self.amount) is not Fraction:
            object.__setattr__(self, "amount", Fraction(self.amount))

    @property
    def days(self) -> Fraction:
        return self.amount * DAYS_PER_UNIT[self.unit]

    def literal(self) -> str:
        return f"{_format_decimal(self.amount)}{self.unit}"

    def __str__(self) -> str:
        return self.literal()


@dataclass(frozen=True)
class Percent:
    """A percentage: ``99.9%``."""

    value: Decimal

    def literal(self) -> str:
        return f"{_format_decimal(self.value)}%"

    def __str__(self) -> str:
        return self.literal()


@dataclass(frozen=True)
class Money:
    """An amount in an ISO 4217 currency: ``USD 5000``."""

    currency: str
    amount: Decimal

    def literal(self) -> str:
        return f"{self.currency} {_format_decimal(self.amount)}"

    def __str__(self) -> str:
        return self.literal()


@dataclass(frozen=True)
class Jurisdiction:
    """An ISO 3166-1 alpha-2 / ISO 3166-2 code, or a named group such as EU."""

    code: str

    def literal(self) -> str:
        return self.code

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class EnumValue:
    """One of an enum fact's allowed values: ``arbitration``."""

    name: str

    def literal(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


Value = Duration | Percent | Money | Jurisdiction | EnumValue | bool | Decimal | str


# Larger integers lose digits as JSON numbers in most readers (and Python refuses to print ints
# of more than 4,300 digits); such a value is written as its exact decimal text instead.
_LARGEST_EXACT_INTEGER = 2 ** 53


def _json_number(value: Decimal) -> object:
    """A number as JSON: an int or float when that is exact and finite, else its decimal text
    (never ``Infinity``, which is not JSON)."""
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        if abs(value) <= _LARGEST_EXACT_INTEGER:
            return int(value)
        return _format_decimal(value)
    as_float = float(value)
    if as_float not in (float("inf"), float("-inf")) and Decimal(repr(as_float)) == value:
        return as_float
    return _format_decimal(value)


def literal_of(value: Value) -> object:
    """The JSON form of a value: the policy literal as a string, or a bare bool / number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return _json_number(value)
    if isinstance(value, str):
        return value
    return value.literal()


def display(value: Value) -> str:
    """The value as a person reads it in a report."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _format_decimal(value)
    if isinstance(value, str):
        return value
    return value.literal()
