"""The language server, driven over stdio by a real LSP client (pygls's, in bench/lsp_client.py).

Every test talks to a ``policycheck lsp`` process: nothing here calls a handler directly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pygls")

from conftest import REPO  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from lsp_client import LspSession, uri  # noqa: E402

CASES = Path(__file__).parent / "lsp_cases" / "diagnostics.yaml"
OPEN, CLOSE = "«", "»"


def marked(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text without its «» marks, and each marked range in UTF-16 units (the LSP default)."""
    clean_lines, ranges, start = [], [], None
    for number, line in enumerate(text.split("\n")):
        out, units = [], 0
        for ch in line:
            if ch == OPEN:
                start = (number, units)
            elif ch == CLOSE:
                ranges.append((*start, number, units))
            else:
                out.append(ch)
                units += 2 if ord(ch) > 0xFFFF else 1
        clean_lines.append("".join(out))
    return "\n".join(clean_lines), ranges


def span(item) -> tuple[int, int, int, int]:
    """(start line, start character, end line, end character) of a range or of what has one."""
    r = getattr(item, "range", item)
    return r.start.line, r.start.character, r.end.line, r.end.character


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return {"XDG_CACHE_HOME": str(tmp_path_factory.mktemp("lsp-cache"))}


@pytest.fixture(scope="module")
def loose(cache, tmp_path_factory):
    """A server without a workspace folder: each file is checked with its includes only."""
    session = LspSession(None, env=cache)
    session.start()
    yield session
    session.stop()


def _cases():
    for index, case in enumerate(yaml.safe_load(CASES.read_text(encoding="utf-8"))):
        yield pytest.param(index, case, id=case["name"])


@pytest.mark.parametrize("index, case", list(_cases()))
def test_diagnostics(loose, tmp_path, index, case):
    text, ranges = marked(case["policy"])
    assert len(ranges) == len(case["expect"]), "one «» mark per expected diagnostic"
    path = tmp_path / f"case{index}.policy"
    path.write_text(text, encoding="utf-8")
    diagnostics = loose.diagnostics(path, loose.open(path, text), version=1)
    assert [span(d) for d in diagnostics] == ranges, [d.message for d in diagnostics]
    for diagnostic, expected in zip(diagnostics, case["expect"]):
        assert expected["message"] in diagnostic.message
        assert diagnostic.source == "policycheck"
        actions = loose.code_actions(path, [diagnostic])
        if expected["fix"] is None:
            assert actions == []
        else:
            (action,) = actions
            (edit,) = action.edit.changes[uri(path)]
            assert (edit.new_text, span(edit)) == (expected["fix"], span(diagnostic))
    loose.close(path)


def test_same_message_as_validate(loose, tmp_path, cli):
    """The diagnostic is the error ``policycheck validate`` prints, with its hint."""
    path = tmp_path / "seat.policy"
    path.write_text("require arbitration_venue in [CN, HKG]\n", encoding="utf-8")
    printed = cli("validate", path)
    assert printed.code == 2
    (diagnostic,) = loose.diagnostics(path, loose.open(path), version=1)
    assert diagnostic.message == "unknown jurisdiction code HKG for arbitration_venue\ndid you mean HK?"
    assert "unknown jurisdiction code HKG for arbitration_venue" in printed.err
    assert "did you mean HK?" in printed.err


def test_crlf_line_ends_keep_positions(loose, tmp_path):
    path = tmp_path / "windows.policy"
    text = "# written on Windows\r\nlet SEATS = [CN]\r\nrequire arbitration_venu in SEATS\r\n"
    (diagnostic,) = loose.diagnostics(path, loose.open(path, text), version=1)
    assert span(diagnostic) == (2, 8, 2, 24)
    labels = {item.label for item in loose.completion(path, 2, len("require arbitration_venu in "))}
    assert "SEATS" in labels


def test_requests_about_a_document_not_open_answer_nothing(loose, tmp_path):
    path = tmp_path / "not-open.policy"
    assert loose.hover(path, 0, 0) is None and loose.definition(path, 0, 0) is None
    assert loose.completion(path, 0, 0) == [] and loose.symbols(path) == []
    assert loose.formatting(path) is None


def test_unsaved_file_is_checked(loose, tmp_path):
    path = tmp_path / "never-saved.policy"
    (diagnostic,) = loose.diagnostics(path, loose.open(path, "flag minimum_age < 18y\n"), version=1)
    assert "minimum_age is a number, 18y is a duration" in diagnostic.message
    assert not path.exists()


# --- a workspace ---------------------------------------------------------------------------------

MAIN = """\
# The main policy of the workspace.
include "shared.policy"

rule main.seat "Disputes are arbitrated at home" {
    require arbitration_venue in HOME
    severity error
}

flag data_deletion_after < 30d
"""

SHARED = """\
let HOME = [CN, HK]

# Our counsel wants to know the governing law first.
rule shared.law {
    require governing_law in HOME
}
"""

DUPLICATE = """\
rule main.seat { flag auto_renewal }
"""

TESTS = """\
cases:
  - name: home seat
    facts:
      arbitration_venue: CN
    expect:
      main.seat: passes
  - name: foreign seat
    facts:
      arbitration_venue: US-NY
    expect:
      main.seet: fires
"""


@pytest.fixture
def workspace(tmp_path, cache):
    root = tmp_path / "repo"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "main.policy").write_text(MAIN, encoding="utf-8")
    (root / "policies" / "shared.policy").write_text(SHARED, encoding="utf-8")
    (root / "policies" / "main.tests.yaml").write_text(TESTS, encoding="utf-8")
    session = LspSession(root, env=cache)
    session.start()
    yield root, session
    assert session.stop() == 0              # shutdown and exit: the server ends cleanly


def _position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def test_editing_session(workspace):
    """initialize, open, diagnostics, completion, hover, definition, format, change, shutdown
    (the shutdown and the server's exit code are checked by the fixture)."""
    root, session = workspace
    capabilities = session.initialize_result.capabilities
    assert capabilities.text_document_sync.change == 2          # incremental
    assert capabilities.hover_provider and capabilities.definition_provider
    assert capabilities.document_formatting_provider and capabilities.document_symbol_provider
    main = root / "policies" / "main.policy"
    dup = root / "policies" / "other.policy"           # loaded after main.policy: the repeat
    dup.write_text(DUPLICATE, encoding="utf-8")

    # Opening a policy checks the workspace: the duplicate id is reported where it is repeated.
    mark = session.open(main)
    assert session.diagnostics(main, mark, version=1) == []
    (duplicate,) = session.diagnostics(dup, mark)
    assert span(duplicate) == (0, 5, 0, 14)
    assert "duplicate rule id main.seat: also defined at" in duplicate.message
    (first,) = duplicate.related_information
    assert first.location.uri == uri(main) and first.location.range.start.line == 3

    # Completing a fact after a verb: names with their type and description.
    line, column = _position(MAIN, "data_deletion_after")
    items = {item.label: item for item in session.completion(main, line, column + len("data_de"))}
    assert "data_deletion_after" in items and "governing_law" not in items
    assert items["data_deletion_after"].detail == "duration"
    assert "how soon after the contract ends" in items["data_deletion_after"].documentation.value

    # Hover on a fact: its catalogue entry as `policycheck explain` prints it.
    line, column = _position(MAIN, "arbitration_venue")
    hover = session.hover(main, line, column + 3)
    assert "fact arbitration_venue" in hover.contents.value
    assert "type:        jurisdiction" in hover.contents.value
    assert "main.seat" in hover.contents.value            # used by
    assert (hover.range.start.character, hover.range.end.character) == (column, column + len("arbitration_venue"))

    # Hover on a rule id: the rule's explanation.
    line, column = _position(MAIN, "main.seat")
    hover = session.hover(main, line, column)
    assert "rule main.seat" in hover.contents.value
    assert "passes when arbitration_venue in HOME holds for every value found" in hover.contents.value

    # Hover on a set and on a jurisdiction code.
    line, column = _position(MAIN, "HOME")
    assert session.hover(main, line, column).contents.value.startswith("```text\nset HOME = [CN, HK]\n")
    line, column = _position(SHARED, "CN")
    shared = root / "policies" / "shared.policy"
    session.diagnostics(shared, session.open(shared), version=1)
    assert "jurisdiction CN: China" in session.hover(shared, line, column).contents.value

    # Go to definition: the set in the included file, and the included file.
    line, column = _position(MAIN, "HOME")
    location = session.definition(main, line, column + 1)
    assert location.uri == uri(root / "policies" / "shared.policy")
    assert span(location) == (0, 4, 0, 8)
    line, column = _position(MAIN, "shared.policy")
    location = session.definition(main, line, column)
    assert location.uri == uri(root / "policies" / "shared.policy")

    # Formatting: the whole document through fmt, comments kept.
    messy = "# keep me\nrule   main.seat {require arbitration_venue in HOME}   # and me\n"
    mark = session.change(main, messy)
    session.diagnostics(main, mark, version=2)
    (edit,) = session.formatting(main)
    # The trailing comment stays at the end of the rule's last line of code, the closing brace.
    assert edit.new_text == "# keep me\nrule main.seat {\n    require arbitration_venue in HOME\n}  # and me\n"
    assert span(edit) == (0, 0, 2, 0)

    # A change brings new diagnostics; fixing it clears them.
    broken = MAIN.replace("data_deletion_after < 30d", "data_deletion_afte < 30d")
    mark = session.change(main, broken)
    (unknown,) = session.diagnostics(main, mark, version=3)
    line, column = _position(broken, "data_deletion_afte ")
    assert span(unknown) == (line, column, line, column + len("data_deletion_afte"))
    mark = session.change(main, MAIN)
    assert session.diagnostics(main, mark, version=4) == []

    # Removing the duplicate clears the other file's diagnostic.
    mark = session.change(main, MAIN.replace("main.seat", "main.home-seat"))
    assert session.diagnostics(dup, mark) == []


def test_incremental_changes_and_a_broken_file_keep_other_files_checked(workspace):
    root, session = workspace
    main, shared = root / "policies" / "main.policy", root / "policies" / "shared.policy"
    session.diagnostics(main, session.open(main), version=1)
    session.diagnostics(shared, session.open(shared), version=1)
    # Half-typed: shared.policy does not parse; main.policy still sees HOME from its last good text.
    mark = session.change(shared, edits=[(0, 0, 0, 0, "require ")])
    (syntax,) = session.diagnostics(shared, mark, version=2)
    assert syntax.code == "syntax"
    mark = session.change(main, edits=[(8, 0, 8, 0, "# a comment\n")])
    assert session.diagnostics(main, mark, version=2) == []
    # The set is gone for real once the file parses without it.
    mark = session.change(shared, "rule shared.law { require governing_law == CN }\n")
    assert session.diagnostics(shared, mark, version=3) == []
    (unknown_set,) = session.diagnostics(main, session.change(main, edits=[(0, 0, 0, 0, " ")]), version=3)
    assert "HOME" in unknown_set.message
    # Closing shared.policy without saving: its text on disk (with HOME) counts again.
    mark = session.close(shared)
    assert session.diagnostics(main, mark) == []


def test_include_cycle(workspace):
    root, session = workspace
    first, second = root / "policies" / "first.policy", root / "policies" / "second.policy"
    first.write_text('include "second.policy"\nflag auto_renewal\n', encoding="utf-8")
    second.write_text('include "first.policy"\nforbid unilateral_amendment\n', encoding="utf-8")
    mark = session.open(first)
    assert session.diagnostics(first, mark, version=1) == []
    # The include that closes the cycle is the one reported, over the whole include.
    (cycle,) = session.diagnostics(second, mark)
    assert cycle.message.startswith("include cycle: ") and "first.policy" in cycle.message
    assert span(cycle) == (0, 0, 0, len('include "first.policy"'))


def test_document_symbols(workspace):
    root, session = workspace
    main = root / "policies" / "main.policy"
    session.diagnostics(main, session.open(main), version=1)
    symbols = session.symbols(main)
    assert [s.name for s in symbols][0] == "main.seat"
    assert symbols[1].name.startswith("main.flag-data_deletion_after-")
    assert span(symbols[0]) == (3, 0, 6, 1) and span(symbols[0].selection_range) == (3, 5, 3, 14)
    assert symbols[1].detail == "flag data_deletion_after < 30d"
    # A bare statement is explained from its verb, under its derived id.
    line, column = _position(MAIN, "flag data_deletion_after")
    assert f"rule {symbols[1].name}\n" in session.hover(main, line, column).contents.value


@pytest.mark.parametrize("before, expected, absent", [
    ("require ", {"arbitration_venue", "governing_law", "not"}, {"require"}),
    ("require dispute_forum == ", {"arbitration", "court", "arbitration_or_court", "negotiation_only"}, {"CN"}),
    ("require arbitration_venue in ", {"HOME", "CN", "HK", "EU"}, {"US-NY", "arbitration"}),
    ("require arbitration_venue in [CN, US-", {"US-NY", "US-CA"}, {"CN", "GB-EAW"}),
    ("flag auto_renewal == ", {"true", "false"}, set()),
    ("rule r {\n    require auto_renewal\n    severity ", {"error", "warning", "info"}, {"require"}),
    ("flag auto_renewal ", {"and", "or", "when", "unless", "severity", "message", "require", "rule"}, set()),
    ("require governing_law ", {"==", "in", "not in", "is present"}, {"governing_law"}),
    ("", {"require", "forbid", "flag", "rule", "let", "include", "policy"}, {"governing_law"}),
    ("flag auto_renewal  # a comment: ", set(), {"require", "governing_law"}),
    ('include "a.policy"\n', {"require", "rule", "let"}, {"and", "governing_law"}),
    ("require dispute_forum not in FORUMS\nlet FORUMS = [court, ", {"arbitration", "negotiation_only"}, {"CN"}),
    ('flag auto_renewal message "Renews after {renewal_t', {"renewal_term"}, {"renewal_notice_period"}),
    ('flag auto_renewal message "no placeholder here ', set(), {"renewal_term", "require"}),
])
def test_completion_contexts(loose, tmp_path, before, expected, absent):
    path = tmp_path / "complete.policy"
    text = 'let HOME = [CN, HK]\n' + before
    loose.diagnostics(path, loose.open(path, text), version=1)
    line = text.count("\n")
    labels = {item.label for item in loose.completion(path, line, len(text.split("\n")[-1]))}
    assert expected <= labels, sorted(labels)[:40]
    assert not (absent & labels)
    loose.close(path)


def test_completion_of_include_paths_and_placeholders_replaces_what_was_typed(workspace):
    root, session = workspace
    (root / "policies" / "common").mkdir()
    (root / "policies" / "common" / "sets.policy").write_text("let EU_HOME = [EU]\n", encoding="utf-8")
    draft = root / "policies" / "draft.policy"
    text = 'include "comm'
    session.diagnostics(draft, session.open(draft, text), version=1)
    (item,) = session.completion(draft, 0, len(text))
    assert item.label == "common/sets.policy"
    assert (item.text_edit.new_text, span(item.text_edit)) == ("common/sets.policy", (0, 9, 0, 13))
    text = 'flag auto_renewal message "{auto_re'
    session.diagnostics(draft, session.change(draft, text), version=2)
    (item,) = session.completion(draft, 0, len(text))
    assert (item.text_edit.new_text, span(item.text_edit)) == ("auto_renewal", (0, 28, 0, 35))
    assert item.detail == "boolean"


def test_tests_yaml_diagnostics(workspace):
    root, session = workspace
    tests = root / "policies" / "main.tests.yaml"
    mark = session.open(tests, language="yaml")
    (unknown,) = session.diagnostics(tests, mark, version=1)
    line, column = _position(TESTS, "main.seet")
    assert span(unknown) == (line, column, line, column + len("main.seet"))
    assert "names rule main.seet" in unknown.message and "did you mean main.seat?" in unknown.message
    (fix,) = session.code_actions(tests, [unknown])
    assert fix.edit.changes[uri(tests)][0].new_text == "main.seat"

    # A bad expectation, an unknown fact and a bad value, each where it is written.
    bad = TESTS.replace("main.seet: fires", "main.seat: firez").replace("arbitration_venue: US-NY", "arbitration_venu: US-NY")
    mark = session.change(tests, bad)
    (expectation,) = session.diagnostics(tests, mark, version=2)
    assert "unknown expectation 'firez' for main.seat" in expectation.message
    line, column = _position(bad, "firez")
    assert span(expectation) == (line, column, line, column + len("firez"))
    # In a flow mapping the value ends at its comma or brace.
    flow = bad.replace("main.seat: firez", "main.seat: {fires: failed, severity: eror}")
    (severity,) = session.diagnostics(tests, session.change(tests, flow), version=3)
    line, column = _position(flow, "eror}")
    assert span(severity) == (line, column, line, column + len("eror"))
    assert "unknown severity 'eror'" in severity.message
    fixed = bad.replace("firez", "fires")
    (fact,) = session.diagnostics(tests, session.change(tests, fixed), version=4)
    line, column = _position(fixed, "arbitration_venu:")
    assert span(fact) == (line, column, line, column + len("arbitration_venu"))
    assert "unknown fact arbitration_venu" in fact.message

    # Renaming the rule in the policy updates the open test file.
    main = root / "policies" / "main.policy"
    session.diagnostics(tests, session.change(tests, TESTS.replace("main.seet", "main.seat")), version=5)
    mark = session.open(main, MAIN.replace("rule main.seat", "rule main.venue"))
    renamed = session.diagnostics(tests, mark)
    assert len(renamed) == 2 and all("names rule main.seat" in d.message for d in renamed)

    # Hover and definition on a rule id of the tests file lead to the rule.
    mark = session.change(main, MAIN)
    session.diagnostics(main, mark, version=2)
    line, column = _position(TESTS, "main.seat")
    assert "rule main.seat" in session.hover(tests, line, column + 2).contents.value
    location = session.definition(tests, line, column + 2)
    assert location.uri == uri(main) and location.range.start.line == 3


def test_tests_yaml_completion_while_the_file_is_half_typed(workspace):
    root, session = workspace
    tests = root / "policies" / "main.tests.yaml"
    text = TESTS + "  - name: third\n    facts:\n      dispute_forum: arb\n      gov\n    expect:\n      main.\n"
    session.diagnostics(tests, session.open(tests, text, language="yaml"), version=1)
    lines = text.split("\n")

    def labels(line: int) -> list[str]:
        return sorted(item.label for item in session.completion(tests, line, len(lines[line])))

    assert labels(len(lines) - 5) == ["arbitration", "arbitration_or_court"]     # a fact's values
    assert labels(len(lines) - 4) == ["governing_law"]                           # fact names
    derived, explicit = labels(len(lines) - 2)                                   # rule ids from "main."
    assert derived.startswith("main.flag-data_deletion_after-") and explicit == "main.seat"
    mark = session.change(tests, TESTS.replace("main.seet: fires", "main.seat: fi"))
    session.diagnostics(tests, mark, version=2)
    line = TESTS.split("\n").index("      main.seet: fires")
    assert [i.label for i in session.completion(tests, line, len("      main.seat: fi"))] == ["fires"]


def test_config_policies_define_the_scope(tmp_path, cache):
    """With a policycheck.yaml naming policies, only those are checked together."""
    root = tmp_path / "repo"
    (root / "policies").mkdir(parents=True)
    (root / "drafts").mkdir()
    (root / "policycheck.yaml").write_text("policies: [policies/]\n", encoding="utf-8")
    (root / "policies" / "a.policy").write_text("rule same { flag auto_renewal }\n", encoding="utf-8")
    (root / "drafts" / "b.policy").write_text("rule same { flag auto_renewal }\n", encoding="utf-8")
    session = LspSession(root, env=cache)
    session.start()
    try:
        a = root / "policies" / "a.policy"
        assert session.diagnostics(a, session.open(a), version=1) == []
        with pytest.raises(TimeoutError):
            session.diagnostics(root / "drafts" / "b.policy", 0, timeout=1)
    finally:
        session.stop()


def test_hover_on_a_rule_is_what_explain_prints(cache, cli):
    """On a shipped pack: the explanation, the rationale above the rule and its test examples."""
    from conftest import POLICIES

    printed = cli("explain", "saas.uptime", "-p", POLICIES)
    assert printed.code == 0 and "rationale:" in printed.out and "examples (from the policy's tests):" in printed.out
    pack = POLICIES / "saas-baseline.policy"
    text = pack.read_text(encoding="utf-8")
    session = LspSession(POLICIES, env=cache)
    session.start()
    try:
        session.diagnostics(pack, session.open(pack), version=1)
        line, column = _position(text, "rule saas.uptime", len("rule "))
        hover = session.hover(pack, line, column).contents.value
        assert hover == f"```text\n{printed.out}```"
    finally:
        session.stop()


def test_facts_of_the_configs_extractors_are_known(tmp_path, cache):
    """The example repository defines its own fact in `extractors:`: no unknown fact, and the
    fact is completed and explained like a shipped one."""
    import shutil

    from conftest import EXAMPLES

    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "repo", root)
    house = root / "policies" / "house.policy"
    text = house.read_text(encoding="utf-8")
    session = LspSession(root, env=cache)
    session.start()
    try:
        assert session.diagnostics(house, session.open(house), version=1) == []
        line, column = _position(text, "escrow_release_period")
        assert "Time within which the escrow agent releases" in session.hover(house, line, column).contents.value
        mark = session.change(house, text + "flag escrow_rel")
        session.diagnostics(house, mark, version=2)
        labels = [item.label for item in session.completion(house, text.count("\n"), len("flag escrow_rel"))]
        assert labels == ["escrow_release_period"]
    finally:
        session.stop()


def test_uris_are_the_editors_own_through_a_symbolic_link(tmp_path, cache):
    """A workspace opened through a link: every diagnostic names files by the editor's path."""
    real_root = tmp_path / "real"
    (real_root / "policies").mkdir(parents=True)
    (real_root / "policies" / "a.policy").write_text("rule same { flag auto_renewal }\n", encoding="utf-8")
    (real_root / "policies" / "b.policy").write_text("rule same { flag auto_renewal }\n", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(real_root, target_is_directory=True)
    session = LspSession(linked, env=cache)
    session.start()
    try:
        a, b = linked / "policies" / "a.policy", linked / "policies" / "b.policy"
        mark = session.open(a)
        assert session.diagnostics(a, mark, version=1) == []
        (duplicate,) = session.diagnostics(b, mark)
        assert "duplicate rule id same" in duplicate.message
        assert all(str(real_root) not in params.uri for _stamp, params in session.published)
    finally:
        session.stop()


def test_lsp_without_pygls_is_a_clear_usage_error(tmp_path):
    """Without the optional extra, `policycheck lsp` says what to install (exit 2, no traceback)."""
    import subprocess

    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('blocked for this test', name='pygls')\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "policycheck", "lsp"], capture_output=True, text=True,
                            env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "pip install 'policycheck[lsp]'" in result.stderr and "Traceback" not in result.stderr
