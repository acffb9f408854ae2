"""Regexes put together from their pieces (policycheck/regextree.py) are the regexes ``re`` reads
from their text: the same program for every shipped pattern, the same matches."""

from __future__ import annotations

import re
import sys

import pytest

from policycheck.facts.phrase import parse, to_pieces, to_regex
from policycheck.facts.rules import _compile_rule_files, _shipped_rule_files
from policycheck.regextree import Alternatives, Atomic, Words, compile_pieces, parsed_program, program, render

needs_builder = pytest.mark.skipif(sys.version_info < (3, 11) or sys.implementation.name != "cpython",
                                   reason="the pieces are put together on CPython 3.11+ only")


def _shipped_pattern_pieces():
    import policycheck.facts.rules as rules

    book = _compile_rule_files([(where, text, language, False) for where, text, language in _shipped_rule_files()])
    seen = []
    original = rules.compile_pieces
    rules.compile_pieces = lambda pieces, flags=0: (seen.append((pieces, int(flags))), original(pieces, flags))[1]
    try:
        for rule in book.rules:
            for pattern in rule.patterns:
                pattern.check()
    finally:
        rules.compile_pieces = original
    return seen


@needs_builder
def test_every_shipped_pattern_gets_the_program_re_reads_from_its_text():
    cases = _shipped_pattern_pieces()
    assert len(cases) > 500
    for pieces, flags in cases:
        text = render(pieces)
        assert program(text, pieces, flags) == parsed_program(text, flags), text


@needs_builder
@pytest.mark.parametrize("pieces", [
    [Words("a"), Alternatives([[Words("b")], [Words("c")]], False)],               # a character set
    [Alternatives([[Words("ab")], [Words("ac")]], True), Words("d")],              # a common prefix
    [Alternatives([[r"\s+", Words("x")], [r"\s+", Words("y")]], False)],           # none moved out
    [Alternatives([[Words("a")], []], False), Atomic([r"[^;]{0,5}?", Words("z")])],
    [r"(?P<s0>\ue000(?:\s*days?)?)", r"\s*", r"(?P<s1>x|y)", Alternatives([[r"(?P<s2>q)"]], True)],
    [r"(?<![A-Za-z])", Words("a.b (c)"), r"(?![A-Za-z0-9])"],
])
def test_pieces_get_the_program_of_their_text(pieces):
    text = render(pieces)
    for flags in (0, re.DOTALL, re.IGNORECASE | re.DOTALL):
        assert program(text, pieces, flags) == parsed_program(text, flags)


def test_a_compiled_regex_is_the_regex_of_its_text():
    phrase = parse("may (also )?terminate ~ for convenience", "en", ())
    pieces = to_pieces(phrase, lambda *args: "")
    regex = compile_pieces(pieces, re.DOTALL)
    assert regex.pattern == to_regex(phrase, lambda *args: "") == render(pieces)
    text = "Either party may, at its option, terminate this agreement for convenience."
    assert regex.search(text).span() == re.compile(regex.pattern, re.DOTALL).search(text).span()


def test_a_piece_it_does_not_handle_is_compiled_from_the_text():
    # A piece with a group of its own that is not a slot's one named group: read from the text.
    regex = compile_pieces([Words("a"), "(b)(c)"])
    assert regex.groups == 2 and regex.match("abc").group(2) == "c"
    with pytest.raises(re.error):
        compile_pieces([Words("a"), "(b"])


def test_an_unfamiliar_re_is_not_built_on(monkeypatch):
    # Where this interpreter's re gives another program than the module's own assembly (another
    # Python's parser, say), the one-time check fails and every regex is compiled from its text.
    from policycheck import regextree

    monkeypatch.setattr(regextree, "_CHECKED", [])
    monkeypatch.setattr(regextree, "parsed_program", lambda text, flags: None)
    built = []
    monkeypatch.setattr(regextree, "_build", lambda *args: built.append(args))
    pieces = [regextree.Words("notice"), r"\s+", regextree.Words("period")]
    compiled = regextree.compile_pieces(pieces, re.IGNORECASE)
    assert built == [] and regextree._CHECKED == [False]
    assert compiled.pattern == r"notice\s+period" and compiled.search("a NOTICE  Period")
