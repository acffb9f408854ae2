"""The facts a test case states directly, typed by the catalogue.

Values are policy literals (``30d``, ``99.9%``, ``CN``, ``true``), read by the same parser the
policy checker and ``run --facts`` use, so a case means exactly what the same literal means in a
policy.
"""

from __future__ import annotations

from policycheck.catalogue import Catalogue
from policycheck.document.model import Span
from policycheck.facts.model import Fact
from policycheck.policytest.cases import GivenFact
from policycheck.values.literals import parse_literal

GIVEN_EXTRACTOR = "input"


def given_facts(given: tuple[GivenFact, ...], catalogue: Catalogue) -> list[Fact]:
    """Typed facts for a case; TestFileError (with the fact's position) for unknown names or bad values."""
    facts = []
    for item in given:
        spec = catalogue.get(item.name)
        if spec is None:
            guess = catalogue.suggest(item.name)
            raise item.position.error(f"unknown fact {item.name}",
                                      f"did you mean {guess}?" if guess else "see `policycheck facts --list`")
        for literal in item.literals:
            try:
                value = parse_literal(spec.type, literal, spec.values)
            except ValueError as exc:
                raise item.position.error(f"bad value for {item.name} ({spec.type}): {exc}") from None
            evidence = Span(item.position.line, item.position.column, item.position.line,
                            item.position.column, f"{item.name}: {literal}")
            facts.append(Fact(item.name, spec.type, value, "en", evidence, GIVEN_EXTRACTOR))
    return facts
