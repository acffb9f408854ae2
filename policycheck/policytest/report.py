"""Text output of a test run: failing cases with expected vs actual, a summary, rule coverage."""

from __future__ import annotations

from policycheck.policytest.runner import CaseResult
from policycheck.policytest.suite import SuiteResult


def format_percent(value: float) -> str:
    text = f"{value:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def _case_head(result: CaseResult, label: str) -> str:
    return f"{label} {result.test_file}:{result.case.position.line}: {result.case.name}"


def render_case(result: CaseResult, verbose: bool) -> list[str]:
    if result.passed:
        return [_case_head(result, "ok  ")] if verbose else []
    lines = [_case_head(result, "FAIL")]
    for mismatch in result.mismatches:
        where = f" (line {mismatch.line})" if mismatch.line else ""
        lines.append(f"    {mismatch.subject}{where}")
        lines.append(f"      expected: {mismatch.expected}")
        lines.append(f"      actual:   {mismatch.actual}")
    return lines


def render(suite: SuiteResult, min_coverage: float | None, verbose: bool = False) -> str:
    lines: list[str] = []
    for result in suite.results:
        lines.extend(render_case(result, verbose))
    if lines:
        lines.append("")
    lines.append(f"{suite.passed} passed, {suite.failed} failed")
    if suite.errors:
        return "\n".join(lines) + "\n"            # coverage means nothing while some tests could not run
    covered = len(suite.rules) - len(suite.uncovered())
    lines.append(f"rule coverage: {format_percent(suite.coverage())} "
                 f"({covered} of {len(suite.rules)} rules seen both firing and passing)")
    for rule_id, lacks in suite.uncovered():
        lines.append(f"    {rule_id}: {lacks}")
    if min_coverage is not None and suite.coverage() < min_coverage:
        lines.append(f"rule coverage {format_percent(suite.coverage())} is below --min-coverage "
                     f"{format_percent(min_coverage)}")
    return "\n".join(lines) + "\n"


def as_json(suite: SuiteResult) -> dict:
    """The run as data (``policycheck test -f json``): cases, mismatches, coverage, errors."""
    uncovered = suite.uncovered()
    return {
        "schema": "policycheck/test/v1",
        "summary": {
            "passed": suite.passed,
            "failed": suite.failed,
            "errors": len(suite.errors),
            "rules": len(suite.rules),
            "covered": len(suite.rules) - len(uncovered),
            "coverage": round(suite.coverage(), 1),
        },
        "cases": [{
            "file": result.test_file,
            "line": result.case.position.line,
            "name": result.case.name,
            "passed": result.passed,
            "mismatches": [{"subject": m.subject, "line": m.line, "expected": m.expected, "actual": m.actual}
                           for m in result.mismatches],
        } for result in suite.results],
        "uncovered": [{"rule": rule_id, "lacks": lacks} for rule_id, lacks in uncovered],
        "errors": [{"path": error.path, "line": error.line, "column": error.column, "message": error.message}
                   for error in suite.errors],
    }
