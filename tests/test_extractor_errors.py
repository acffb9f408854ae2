"""Errors in extractor files name the file, the line and the column (docs/extractors.md,
"Errors in extractor files"), and files written for the earlier pattern language still load."""

from __future__ import annotations

import json
import re

import pytest

from policycheck.errors import ConfigError
from policycheck.facts import rules as rules_module
from policycheck.facts.phrase import Stem, Text, parse, to_regex
from policycheck.yamlpos import column_in, parse_yaml, span

CONTRACT = "Governing Law\nThis agreement is governed by the laws of England and Wales.\n"

# Lines 1-4 of most cases below: line 2 holds the fact (its value at column 11), line 3 the id
# (value at column 9).
HEAD = "rules:\n  - fact: governing_law\n    id: law\n    language: en\n"
PATTERN = '    patterns: ["governed by ~ laws of {jurisdiction}"]\n'

CASES = [
    # name, file text, line, column, part of the message
    ("unknown-key", HEAD + "    windw: 3\n" + PATTERN, 5, 5,
     "unknown key 'windw' in extraction rule; did you mean 'window'?"),
    ("unknown-file-key", "rule:\n  - fact: governing_law\n", 1, 1,
     "unknown key 'rule'; did you mean 'rules'?"),
    ("unknown-fact", HEAD.replace("governing_law", "governing_lawz") + PATTERN, 2, 11,
     "unknown fact 'governing_lawz'; did you mean governing_law?"),
    ("missing-id", HEAD.replace("    id: law\n", "") + PATTERN, 2, 5,
     "rule for governing_law: 'id' is required"),
    ("missing-patterns", HEAD, 2, 5,
     "rule governing_law#law: 'patterns' is required"),
    ("missing-language", HEAD.replace("    language: en\n", "") + PATTERN, 2, 5,
     "'language' is required"),
    ("window-not-a-number", HEAD + "    window: abc\n" + PATTERN, 5, 13,
     "'window' must be a whole number of characters, not 'abc'"),
    ("facts-as-a-list", "facts:\n  - escrow_period\nrules: []\n", 1, 1,
     "'facts' must be a mapping of fact names"),
    ("fact-as-a-list", HEAD.replace("fact: governing_law", "fact: [governing_law]") + PATTERN, 2, 11,
     "'fact' must be the name of a fact, not a list"),
    ("qualifiers-not-a-mapping", HEAD + "    qualifiers: [at_most]\n" + PATTERN, 5, 17,
     "'qualifiers' must be a mapping, not a list"),
    ("pattern-not-a-string", HEAD + "    patterns:\n      - governed by {jurisdiction}\n      - {governed: by}\n",
     7, 9, "'patterns' must be a string or a list of strings; item 2 is a mapping"),
    ("fallback-not-a-boolean", HEAD + "    fallback: sometimes\n" + PATTERN, 5, 15,
     "'fallback' must be true or false"),
    ("rule-not-a-mapping", "rules:\n  - governing_law\n", 2, 5, "each rule must be a mapping"),
    # A quoted pattern: column of the item (the quote at 9) + 1 + index of the problem (12).
    ("pattern-unbalanced", HEAD + '    patterns:\n      - "governed by (the|these laws of {jurisdiction}"\n',
     6, 22, "unbalanced '('"),
    # A plain pattern: column of the item (9) + index of the problem (12).
    ("pattern-unknown-slot", HEAD + "    patterns:\n      - governed by {jurisdictio}\n", 6, 21,
     "unknown slot {jurisdictio}"),
    ("pattern-without-a-word", HEAD + '    patterns: ["{jurisdiction}"]\n', 5, 16,
     "has no word of its own to find it by"),
    ("unknown-concept", HEAD + '    patterns: ["@term governed by {jurisdiction}"]\n', 5, 17,
     "unknown concept @term; did you mean @terms?"),
    ("negation-cue-unbalanced", HEAD + PATTERN + '    negation: [not, "(never"]\n', 6, 22,
     "negation '(never': unbalanced '('"),
    ("duplicate-id", HEAD + PATTERN + "  - fact: governing_law\n    id: law\n    language: en\n"
     '    patterns: ["construed under {jurisdiction}"]\n', 7, 9,
     "duplicate extraction rule en/governing_law#law (also at {path}:3:9)"),
    ("unquoted-no", HEAD + PATTERN + "    negation: [not, no, never]\n", 6, 21,
     "'negation' item 2 (no) is read by YAML as false; quote it: 'no'"),
    ("value-slot-not-in-patterns", HEAD + PATTERN + '    value: "{jurisdicton}"\n', 6, 12,
     "'value' names the slot {jurisdicton}, which no pattern of the rule has (its patterns' slots: {jurisdiction})"),
    ("value-not-of-the-type", HEAD + PATTERN + "    value: Narnia\n", 6, 12,
     "'value' 'Narnia' is not a value of governing_law (jurisdiction)"),
    # Columns count characters, Chinese ones included: the quote at 16, the bracket 2 after it.
    ("chinese-pattern-unbalanced", HEAD.replace("language: en", "language: zh")
     + '    patterns: ["适用(中华人民共和国{jurisdiction}法律"]\n', 5, 19, "unbalanced '('"),
    ("duplicate-key", HEAD + "    id: other\n" + PATTERN, 5, 5, "duplicate key 'id'"),
    ("fact-entry-unknown-key", "facts:\n  escrow_period:\n    type: duration\n    summary: when it is released\n"
     "rules: []\n", 4, 5, "fact escrow_period: unknown key 'summary'"),
    ("fact-entry-bad-type", "facts:\n  escrow_period:\n    type: period\nrules: []\n", 3, 11,
     "fact escrow_period: 'type' must be one of"),
    ("lexicon-phrase-unbalanced", "lexicon:\n  en:\n    law_words: ['laws of', '(the laws']\n"
     + HEAD + '    patterns: ["governed by @law_words {jurisdiction}"]\n', 3, 29,
     "concept @law_words phrase '(the laws': unbalanced '('"),
    ("lexicon-concept-defined-twice", "lexicon:\n  en:\n    terms: ['this deal']\nrules: []\n", 3, 5,
     "concept @terms (en) is defined twice (also at lexicons.yaml:"),
    # Patterns written for the earlier language, where '@' and '*' were literal characters.
    ("old-literal-at-sign", HEAD + '    patterns: ["notices to legal@example.com ~ {jurisdiction}"]\n', 5, 33,
     "unknown concept @example; a literal '@' is written \\@ (legal\\@example.com)"),
    ("old-literal-asterisk", HEAD + '    patterns: ["clause 5 * governed by {jurisdiction}"]\n', 5, 26,
     "'*' must end a word (a stem such as renew*); a literal '*' is written \\*"),
    ("old-lone-at-sign", HEAD + '    patterns: ["notices @ the office ~ {jurisdiction}"]\n', 5, 25,
     "'@' must name a concept (@terms, @renew, ...); a literal '@' is written \\@"),
]


def _facts_with(cli, tmp_path, extractors):
    """``policycheck facts --extractors EXTRACTORS`` on a small governing-law contract."""
    contract = tmp_path / "contract.txt"
    contract.write_text(CONTRACT, encoding="utf-8")
    return cli("facts", "--extractors", extractors, contract)


def _rules_file(tmp_path, name: str, text: str):
    rules = tmp_path / name
    rules.write_text(text, encoding="utf-8")
    return rules

@pytest.mark.parametrize("name, text, line, column, message", CASES, ids=[case[0] for case in CASES])
def test_error_names_file_line_and_column(cli, tmp_path, name, text, line, column, message):
    rules = _rules_file(tmp_path, f"{name}.yaml", text)
    result = _facts_with(cli, tmp_path, rules)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert first.startswith(f"policycheck: {rules}:{line}:{column}: "), first
    assert message.replace("{path}", str(rules)) in first, first
    # The line of the file is shown with a caret under the column.
    source, caret = result.err.splitlines()[1:3]
    assert source.strip() == text.splitlines()[line - 1].strip()
    assert caret.index("^") - 4 == column - 1


def test_error_in_a_file_of_a_folder_names_that_file(cli, tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "good.yaml").write_text(HEAD + PATTERN, encoding="utf-8")
    (folder / "bad.yaml").write_text(HEAD.replace("id: law", "id: other") + "    window: -3\n" + PATTERN,
                                     encoding="utf-8")
    result = _facts_with(cli, tmp_path, folder)
    assert result.code == 2
    assert result.err.startswith(f"policycheck: {folder / 'bad.yaml'}:5:13: ")
    assert "'window' must be a whole number of characters, not -3" in result.err


def test_duplicate_of_a_shipped_rule_names_both_places(cli, tmp_path):
    rules = _rules_file(tmp_path, "again.yaml", HEAD.replace("id: law", "id: governed-by") + PATTERN)
    result = _facts_with(cli, tmp_path, rules)
    assert result.code == 2
    first = result.err.splitlines()[0]
    assert first.startswith(f"policycheck: {rules}:3:9: duplicate extraction rule en/governing_law#governed-by")
    assert re.search(r"\(also at rules/en/[a-z_]+\.yaml:\d+:9\)", first), first


def test_backslash_in_yaml_double_quotes_says_how_to_write_it(cli, tmp_path):
    rules = _rules_file(tmp_path, "escaped.yaml", HEAD + '    patterns: ["write to legal\\@example.com ~ {jurisdiction}"]\n')
    result = _facts_with(cli, tmp_path, rules)
    assert result.code == 2
    assert result.err.startswith(f"policycheck: {rules}:5:32: extractor file is not valid YAML")
    assert "a backslash is written twice" in result.err


def test_pattern_with_escapes_in_yaml_names_the_column_inside_it(cli, tmp_path):
    # Written with a YAML escape, the pattern is not as it reads in the file: the error stands at
    # the pattern and names the column inside the pattern.
    rules = _rules_file(tmp_path, "yaml-escape.yaml", HEAD + '    patterns:\n      - "gov\\x65rned by (the laws {jurisdiction}"\n')
    result = _facts_with(cli, tmp_path, rules)
    assert result.code == 2
    assert result.err.startswith(f"policycheck: {rules}:6:9: pattern 'governed by (the laws {{jurisdiction}}': "
                                 "unbalanced '(' (at column 13 of the pattern)")


# --- files written for the earlier pattern language ---------------------------------------------

OLD_SYNTAX = """\
facts:
  escrow_release_period:
    type: duration
    description: time after which the deposit held in escrow goes to the licensee
  escrow_notice_by_email:
    type: boolean
    description: notices about the escrow go to a named e-mail address
rules:
  - fact: escrow_release_period
    id: released-within
    language: en
    triggers: [escrow, deposit]          # read, and only adds trigger words
    patterns:
      - "(escrow|deposit) ~ released? ~ (within|after) {duration}"
    context: [escrow]
    negation: [not, never]
  - fact: escrow_notice_by_email
    id: notice-address
    language: en
    triggers: [notice]
    patterns:
      - 'notices? ~ sent to escrow\\@agent.example'    # '@' was literal; now written \\@
    value: true
"""

OLD_CONTRACT = """\
Source Code Escrow
The deposit shall be released to the Licensee within fifteen (15) days after a release event.
Every notice about the deposit shall be sent to escrow@agent.example by registered mail.
The escrow will never be released after 5 days.
"""


def test_old_syntax_file_loads_and_extracts(cli, tmp_path):
    rules = _rules_file(tmp_path, "old.yaml", OLD_SYNTAX)
    contract = tmp_path / "escrow.txt"
    contract.write_text(OLD_CONTRACT, encoding="utf-8")
    result = cli("facts", "--extractors", rules, "--format", "json", contract)
    assert result.code == 0, result
    facts = json.loads(result.out)["documents"][0]["facts"]
    found = {(f["name"], f["value"], f["evidence"]["line"]) for f in facts if f["name"].startswith("escrow_")}
    # Line 4 is negated ("never"): no period from it.
    assert found == {("escrow_release_period", "15d", 2), ("escrow_notice_by_email", True, 3)}


# --- the phrase escape ------------------------------------------------------------------------

def test_backslash_makes_a_special_character_literal():
    assert parse(r"legal\@example.com", "en", ()).nodes == (Text("legal@example.com"),)
    assert parse(r"note\*", "en", ()).nodes == (Text("note*"),)
    assert parse(r"note*", "en", ()).nodes == (Stem("note"),)
    assert parse(r"\(a\|b\)\?", "en", ()).nodes == (Text("(a|b)?"),)
    assert parse(r"a\~b \{x\}", "en", ()).nodes[0] == Text("a~b")
    assert parse("a\\\\b", "en", ()).nodes == (Text("a\\b"),)
    # Before any other character a backslash is itself, as before.
    assert parse(r"1\.5 \d", "en", ()).nodes[0] == Text("1\\.5")


def test_escaped_at_sign_matches_an_address():
    regex = re.compile(to_regex(parse(r"write to legal\@example.com", "en", ()), lambda *a: ""), re.I)
    assert regex.search("Please write to legal@example.com today")
    assert not regex.search("Please write to legal at example.com today")


# --- reading with positions -------------------------------------------------------------------

def test_column_in_a_scalar():
    text = 'a:\n  - "x @y"\n  - plain @y\n  - \'it\'\'s @y\'\nb: {c: d}\n'
    data, lines = parse_yaml(text, "t.yaml", "file"), text.splitlines()
    items = data["a"]
    assert column_in(span(items, 0), items[0], lines, 2) == 8      # quoted: after the quote
    assert column_in(span(items, 1), items[1], lines, 6) == 11     # plain
    assert column_in(span(items, 2), items[2], lines, 5) is None   # a doubled quote: not as it reads
    assert span(data["b"], "c")[:2] == (5, 8)


def test_shipped_rule_files_read_the_same_with_positions():
    """The shipped files are read by the fast loader; read with positions (which also refuses a
    key given twice) they make the same rules."""
    files = [(where, text, language, False) for where, text, language in rules_module._shipped_rule_files()]
    fast = rules_module._compile_rule_files(files)
    placed = rules_module._compile_rule_files(files, positions=True)
    assert [rule.id for rule in placed.rules] == [rule.id for rule in fast.rules]
    assert [rule.triggers for rule in placed.rules] == [rule.triggers for rule in fast.rules]


def test_error_in_a_shipped_file_is_placed_too():
    files = [("rules/en/broken.yaml", HEAD + "    window: abc\n" + PATTERN, "en", False)]
    with pytest.raises(ConfigError) as error:
        rules_module._compile_rule_files(files)
    assert error.value.location() == "rules/en/broken.yaml:5:13"
