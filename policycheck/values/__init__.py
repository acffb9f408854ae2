"""Typed values (durations, percents, money, jurisdictions) and their parsers."""

from policycheck.values.types import (
    DAYS_PER_UNIT,
    Duration,
    EnumValue,
    Jurisdiction,
    Money,
    Percent,
    Value,
    display,
    literal_of,
)

__all__ = [
    "DAYS_PER_UNIT", "Duration", "EnumValue", "Jurisdiction", "Money", "Percent", "Value",
    "display", "literal_of",
]
