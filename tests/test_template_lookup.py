"""Shipped templates read context dicts directly; what they read must be what Jinja2 reads."""

from __future__ import annotations

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError

from policycheck.report.templating import shipped_environment

TEMPLATE = ("{{ d.status }}|{{ d['status'] }}|{{ d.items is callable }}|{{ d.get('status') }}|"
            "{{ o.real }}|{{ d.nested.line }}")
DATA = {"d": {"status": "failed", "items": "shadowed by the method", "nested": {"line": 3}}, "o": 5}


def test_reads_are_the_ones_of_a_plain_environment():
    plain = Environment(undefined=StrictUndefined).from_string(TEMPLATE).render(DATA)
    assert plain == "failed|failed|True|failed|5|3"
    assert shipped_environment("text").from_string(TEMPLATE).render(DATA) == plain


@pytest.mark.parametrize("kind", ["text", "markdown", "html"])
def test_a_missing_key_is_still_an_error(kind):
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        shipped_environment(kind).from_string("{{ d.missing }}").render(d={})
    assert shipped_environment(kind).from_string("{{ d.missing is defined }}").render(d={}) == "False"
