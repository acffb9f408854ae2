"""What a repository under check must not be able to do to the run: read or write outside it,
inject commands into a CI log, hang it, crash it, make it write invalid output, refuse a valid
policy, stop the other contracts, or read stdin differently from a file.

Each class has its cases as data, run by one parametrised test; the hang cases run policycheck
in a child process with a timeout, so a regression fails instead of blocking the suite.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policycheck.errors import PolicycheckError
from policycheck.facts import phrase
from policycheck.values.literals import parse_literal
from policycheck.values.types import Percent, literal_of, _format_decimal
from policycheck.workflow.globs import compile_glob, name_pattern
from policycheck.workflow.ignore import IgnoreRules

POLICY = "require governing_law in CN\n"
CONTRACT = "These terms are governed by the laws of England and Wales.\n"
SECRET = "root:x:0:0:secret-marker-of-the-outside-file"


def _repo(tmp_path: Path) -> Path:
    """A repository (a directory holding .git) with one policy and one contract."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "policies" / "base.policy").write_text(POLICY, encoding="utf-8")
    (root / "contracts").mkdir()
    (root / "contracts" / "terms.txt").write_text(CONTRACT, encoding="utf-8")
    return root


def _outside(tmp_path: Path, name: str, text: str = SECRET + "\n") -> Path:
    """A file outside the repository, as /etc/passwd would be."""
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


# -- 1. reads outside the repository through links ---------------------------------------------

LINK_CASES = [
    # (name of the link in policies/, command, what the command must not have done)
    ("evil.policy", ["validate", "policies"]),
    ("evil.policy", ["test", "policies"]),
    ("evil.tests.yaml", ["test", "policies"]),
    ("evil.policy", ["run", "policies", "contracts"]),
    ("evil.policy", ["fmt", "policies"]),
]


@pytest.mark.parametrize("link_name, command", LINK_CASES, ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_link_out_of_a_walked_directory_is_refused(cli, tmp_path, link_name, command):
    root = _repo(tmp_path)
    target = _outside(tmp_path, "passwd", SECRET + "\nrequire   governing_law in CN\n")
    before = target.read_bytes()
    (root / "policies" / link_name).symlink_to(target)
    result = cli(*command, cwd=root)
    assert result.code == 2, result
    assert f"policies/{link_name}: is a symbolic link to {target}" in result.err, result.err
    assert "secret-marker" not in result.out + result.err
    assert target.read_bytes() == before            # fmt rewrote nothing outside


def test_link_inside_the_directory_is_followed(cli, tmp_path):
    root = _repo(tmp_path)
    (root / "policies" / "shared").mkdir()
    (root / "policies" / "shared" / "law.txt").write_text("flag governing_law in [GB]\n", encoding="utf-8")
    (root / "policies" / "law.policy").symlink_to(root / "policies" / "shared" / "law.txt")
    result = cli("validate", "policies", cwd=root)
    assert result.code == 0 and "2 rules: ok" in result.out, result


@pytest.mark.parametrize("entry", ["policies: [{outside}]", "policies: [../elsewhere]",
                                   "policies: [policies, {outside}]",
                                   "overrides: [{{paths: [contracts/**], policies: [{outside}]}}]",
                                   "policies: [policies]\nwaivers: ../elsewhere/w.yaml",
                                   "policies: [policies]\nbaseline: {outside}",
                                   "policies: [policies]\nextractors: [../elsewhere]"])
def test_config_paths_stay_inside_the_repository(cli, tmp_path, entry):
    root = _repo(tmp_path)
    outside = _outside(tmp_path, "a.policy", POLICY)
    _outside(tmp_path, "w.yaml", "[]\n")
    (root / "policycheck.yaml").write_text(entry.format(outside=outside) + "\n", encoding="utf-8")
    result = cli("run", "contracts", cwd=root)
    assert result.code == 2, result
    assert "policycheck.yaml:" in result.err and "lies outside the repository" in result.err, result.err


def test_config_policies_through_a_link_out_are_refused(cli, tmp_path):
    root = _repo(tmp_path)
    _outside(tmp_path, "a.policy", POLICY)
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    (root / "policycheck.yaml").write_text("policies: [linked]\n", encoding="utf-8")
    result = cli("run", "contracts", cwd=root)
    assert result.code == 2 and "lies outside the repository" in result.err, result


# -- 2. writes outside the repository ----------------------------------------------------------

@pytest.mark.parametrize("target", ["{outside}/report.json", "../../escaped/report.json"])
def test_config_output_paths_stay_inside_the_repository(cli, tmp_path, target):
    root = _repo(tmp_path)
    outside = tmp_path / "elsewhere"
    spec = "json:" + target.format(outside=outside)
    (root / "policycheck.yaml").write_text(f'policies: [policies]\nformats: ["{spec}"]\n', encoding="utf-8")
    result = cli("run", "contracts", cwd=root)
    assert result.code == 2 and "'formats'" in result.err and "outside the repository" in result.err, result
    assert not (outside / "report.json").exists() and not (tmp_path / "escaped").exists()


def test_command_line_output_path_may_be_anywhere(cli, tmp_path):
    root = _repo(tmp_path)
    out = tmp_path / "elsewhere" / "report.json"
    result = cli("run", "policies", "contracts", "-f", f"json:{out}", cwd=root)
    assert result.code == 1, result
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "policycheck/report/v1"


# -- 3. workflow-command and terminal injection ------------------------------------------------

INJECTED_NAME = "x\n::error file=README.md,line=1::forged\x1b[2J.txt"
INJECTED_MESSAGE = 'rule r1 {\n  require governing_law in CN\n  message "x\\n::error::forged \\u001b[31m"\n}\n'
LEADING_NAME = "::warning::lead.txt"


def _injection_repo(tmp_path: Path) -> Path:
    root = _repo(tmp_path)
    (root / "policies" / "base.policy").write_text(INJECTED_MESSAGE.replace("\\u001b", "\x1b"), encoding="utf-8")
    text = CONTRACT + "::error::from the contract \x1b[31m red \x07 ##[set-env name=X;]y\n"
    (root / "contracts" / INJECTED_NAME).write_text(text, encoding="utf-8")
    (root / "contracts" / LEADING_NAME).write_text(text, encoding="utf-8")
    return root


def _assert_inert(text: str, allowed_commands: int = 0) -> None:
    commands = 0
    for line in text.split("\n"):
        assert not any(ord(ch) < 32 and ch != "\t" for ch in line), repr(line)
        assert "\x7f" not in line and "\x9b" not in line, repr(line)
        assert "##[" not in line, repr(line)
        if line.lstrip().startswith("::"):
            commands += 1
            # Only the commands policycheck writes, with the forged parts escaped inside them.
            assert line.startswith(("::error file=", "::warning file=", "::notice file=")), repr(line)
            # The properties are policycheck's own: the forged "file=README.md,line=1" stays
            # inside the escaped value of file= (its "," and ":" encoded).
            head = line[2:].split("::", 1)[0]
            keys = [item.split("=", 1)[0] for item in head.split(" ", 1)[1].split(",")]
            assert keys[0] == "file" and keys.count("file") == 1 and keys.count("line") <= 1, repr(line)
    assert commands <= allowed_commands, text


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "github"])
def test_no_output_line_can_start_a_command(cli, tmp_path, fmt):
    root = _injection_repo(tmp_path)
    result = cli("run", "policies", "contracts", "-f", fmt, cwd=root)
    assert result.code == 1, result
    _assert_inert(result.out, allowed_commands=3 if fmt == "github" else 0)
    _assert_inert(result.err)
    if fmt == "json":
        json.loads(result.out)


@pytest.mark.parametrize("command", [["facts", "contracts"], ["run", "policies", LEADING_NAME + ".missing"],
                                     ["validate", INJECTED_NAME], ["test", "policies"]])
def test_no_message_line_can_start_a_command(cli, tmp_path, command):
    root = _injection_repo(tmp_path)
    (root / "policies" / "base.tests.yaml").write_text(
        'cases:\n  - name: "::error::case"\n    facts: {governing_law: US}\n    expect: {r1: passes}\n',
        encoding="utf-8")
    result = cli(*command, cwd=root)
    _assert_inert(result.out)
    _assert_inert(result.err)


def test_github_annotations_carry_no_control_character(cli, tmp_path):
    root = _injection_repo(tmp_path)
    result = cli("run", "policies", "contracts", "-f", "github", cwd=root)
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "%0A%3A%3Aerror file=README.md" in result.out      # the name, escaped inside file=


# -- 4. hangs and memory exhaustion ------------------------------------------------------------

def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


HANG_CASES = [
    # (special file name, arguments; {p} is the special file, in a repository)
    ("policies/evil.policy", ["validate", "policies/evil.policy"]),
    ("policies/evil.policy", ["validate", "policies"]),
    ("policies/evil.tests.yaml", ["test", "policies/evil.tests.yaml"]),
    ("waivers.yaml", ["run", "policies", "contracts", "--waivers", "waivers.yaml"]),
    ("baseline.json", ["run", "policies", "contracts", "--baseline", "baseline.json"]),
    ("facts.yaml", ["run", "policies", "--facts", "facts.yaml"]),
    ("report.j2", ["run", "policies", "contracts", "--template", "report.j2"]),
    ("policycheck.yaml", ["run", "contracts"]),
    ("facts/evil.yaml", ["run", "contracts"]),
    (".policycheckignore", ["run", "contracts"]),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("name, args", HANG_CASES, ids=[f"{n}:{a[0]}" for n, a in HANG_CASES])
def test_special_files_are_refused_not_read(tmp_path, kind, name, args):
    if kind == "dev-zero" and not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    root = _repo(tmp_path)
    if name.startswith("facts/"):
        (root / "facts").mkdir()
        (root / "policycheck.yaml").write_text("policies: [policies]\nextractors: [facts]\n", encoding="utf-8")
    if name == ".policycheckignore":
        (root / "policycheck.yaml").write_text("policies: [policies]\n", encoding="utf-8")
    special = root / name
    _special(kind, special)
    env = {**os.environ, "NO_COLOR": "1", "CI": "1"}
    try:
        result = subprocess.run([sys.executable, "-m", "policycheck", *args], cwd=root, env=env,
                                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"policycheck blocked on {name} ({kind})")
    assert result.returncode == 2, result
    assert "regular file" in result.stderr or "symbolic link" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_template_including_a_pipe_is_refused(tmp_path):
    root = _repo(tmp_path)
    os.mkfifo(root / "part.j2")
    (root / "report.j2").write_text('{% include "part.j2" %}\n', encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-m", "policycheck", "run", "policies", "contracts", "--template",
                                 "report.j2"], cwd=root, env={**os.environ, "CI": "1"}, capture_output=True,
                                text=True, timeout=60, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("policycheck blocked on a template include that is a pipe")
    assert result.returncode == 2 and "part.j2: is not a regular file" in result.stderr, result


def _best_time(action, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_glob_matching_is_linear_in_the_name():
    glob = compile_glob("*a*a*a*b.txt")

    def timed(size: int) -> float:
        name = "a" * size + ".txt"
        return _best_time(lambda: [glob.matches(name) for _ in range(100)])

    assert not glob.matches("a" * 200 + ".txt")
    small, large = timed(50), timed(200)
    # Linear: four times the name, about four times the time (a backtracking regex tries every
    # way to place the three stars: 64 times).
    assert large / small < 8, (small, large)


def test_waived_rule_id_check_is_linear_in_the_id():
    """A waiver's rule pattern is checked against the loaded rule ids by the same linear matcher."""
    from policycheck.workflow.ruleids import matches_a_rule

    def timed(size: int) -> float:
        known = ["a" * size + "-x"] * 20
        return _best_time(lambda: matches_a_rule("*a*a*a*a*a*b", known))

    assert not matches_a_rule("*a*a*a*a*a*b", ["a" * 200 + "-x"])
    assert matches_a_rule("pack.*-x", ["pack.rule-x"]) and not matches_a_rule("pack.*-y", ["pack.rule-x"])
    small, large = timed(50), timed(200)
    assert large / small < 8, (small, large)


@pytest.mark.parametrize("pattern, path, expected", [
    ("contracts/**/*.md", "contracts/a.md", True),
    ("contracts/**/*.md", "contracts/x/y/a.md", True),
    ("contracts/**/*.md", "contracts/x/a.txt", False),
    ("contracts/china/**", "contracts/china/a/b.txt", True),
    ("contracts/china/**", "contracts/chinese/a.txt", False),
    ("contracts/", "contracts/a/b.txt", True),
    ("*.txt", "a/b.txt", False),
    ("*.txt", "b.txt", True),
    ("[!a]?.txt", "bc.txt", True),
    ("[!a]?.txt", "ac.txt", False),
    ("[a-c]*", "b/x", False),
    ("**/x.txt", "x.txt", True),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/xb", False),
    ("*a*a*a*a*a*a*b.txt", "a" * 200 + "b.txt", True),
])
def test_glob_meaning(pattern, path, expected):
    assert compile_glob(pattern).matches(path) is expected


@pytest.mark.parametrize("pattern, rule, expected", [
    ("saas.*", "saas.uptime", True), ("saas.*", "china.seat", False), ("s?as.up*", "saas.uptime", True),
    ("*", "anything", True), ("*a*a*a*a*a*a*a*b", "a" * 300, False),
])
def test_rule_patterns_of_waivers(pattern, rule, expected):
    assert name_pattern(pattern).matches(rule) is expected


@pytest.mark.parametrize("lines, path, is_dir, expected", [
    (["*.md"], "a/b/c.md", False, True),
    (["/top.txt"], "top.txt", False, True),
    (["/top.txt"], "sub/top.txt", False, False),
    (["drafts/"], "contracts/drafts", True, True),
    (["drafts/"], "contracts/drafts/a.txt", False, True),
    (["drafts/"], "contracts/drafts.txt", False, False),
    (["*.txt", "!keep.txt"], "keep.txt", False, False),
    (["# comment", "", "\\#hash.txt"], "#hash.txt", False, True),
    (["old/*", "!old/x.txt"], "old/x.txt", False, False),
    (["old/", "!old/x.txt"], "old/x.txt", False, True),      # a file in an ignored directory stays ignored
    (["a/**/z.txt"], "a/b/c/z.txt", False, True),
    (["*a*a*a*a*a*a*b.txt"], "a" * 200 + ".txt", False, False),
])
def test_ignore_file_patterns(tmp_path, lines, path, is_dir, expected):
    rules = IgnoreRules(str(tmp_path / ".policycheckignore"), lines)
    assert rules.ignores(str(tmp_path / path), is_dir) is expected


def test_ambiguous_optional_run_in_a_pattern_is_refused():
    with pytest.raises(PolicycheckError, match=r"9 optional items in a row can begin with 'a'; at most 8"):
        phrase.parse("a?" * 30 + "a" * 30, "en", ())
    assert phrase.parse("a?" * 8 + "a" * 30, "en", ()).nodes          # the bound itself is allowed
    phrase.parse("(the|a)? (big|small)? (red|blue)? (car|bus)", "en", ())   # distinct options


def test_user_extractor_with_ambiguous_pattern_is_an_error(cli, tmp_path):
    root = _repo(tmp_path)
    (root / "facts").mkdir()
    (root / "facts" / "x.yaml").write_text(
        "facts:\n  my_flag:\n    type: boolean\n    description: x\nrules:\n  - fact: my_flag\n    id: my.flag\n"
        f"    language: en\n    patterns: [\"{'a?' * 30 + 'a' * 30}\"]\n", encoding="utf-8")
    (root / "policycheck.yaml").write_text("policies: [policies]\nextractors: [facts]\n", encoding="utf-8")
    result = cli("run", "contracts", cwd=root)
    assert result.code == 2 and "x.yaml:9:" in result.err and "optional items in a row" in result.err, result


def test_literal_size_is_bounded_and_checked_in_linear_time(cli, tmp_path):
    path = tmp_path / "big.policy"
    path.write_text(f"flag data_deletion_after < {'1' * 100_000}d\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.code == 2 and "a number in a literal has at most 24" in result.err, result

    def read_literal(digits: int) -> float:
        # What the checker does with the literal the parser isolated (converting a million
        # digits to a number takes minutes: the size is checked on the text first).
        literal = "1" * digits + "d"

        def read() -> None:
            for _ in range(50):
                with pytest.raises(ValueError, match="at most 24"):
                    parse_literal("duration", literal)

        return _best_time(read, repeat=3)

    small, large = read_literal(50_000), read_literal(200_000)
    # Linear or better: four times the digits, at most about four times the time.
    assert large / small < 8, (small, large)


@pytest.mark.parametrize("fact_type, text", [
    ("percent", "99." + "9" * 40 + "%"), ("duration", "1" * 25 + "d"), ("number", "9" * 5000),
    ("money", "USD " + "1" * 30),
])
def test_too_long_literals_are_refused(fact_type, text):
    with pytest.raises(ValueError, match="a number in a literal has at most 24"):
        parse_literal(fact_type, text)


# -- 5. internal errors instead of messages ----------------------------------------------------

HUGE = "9" * 5000
MESSAGE_CASES = [
    # (file, its text, arguments, the message expected on stderr)
    ("waivers.yaml", "- rule: '*'\n  contract: x\n  reason: r\n  expires: 2026-02-30\n",
     ["run", "policies", "contracts", "--waivers", "waivers.yaml"], "waivers.yaml:4:12: waivers file is not valid "
     "YAML: '2026-02-30' is not a date"),
    ("waivers.yaml", "- rule: '*'\n  contract: x\n  reason: r\n  expires: 2026-13-01\n",
     ["run", "policies", "contracts", "--waivers", "waivers.yaml"], "waivers.yaml:4:12:"),
    ("waivers.yaml", f"- rule: '*'\n  contract: x\n  reason: {HUGE}\n",
     ["run", "policies", "contracts", "--waivers", "waivers.yaml"], "is not an integer"),
    ("policycheck.yaml", f"policies: [policies]\nfail_on: {HUGE}\n", ["run", "contracts"],
     "policycheck.yaml:2:10:"),
    ("policycheck.yaml", "policies: [policies]\nfail_on: 2026-02-30\n", ["run", "contracts"],
     "policycheck.yaml:2:10:"),
    ("baseline.json", '{"schema": "policycheck/baseline/v1", "findings": [' + HUGE + "]}",
     ["run", "policies", "contracts", "--baseline", "baseline.json"], "baseline file is not usable JSON"),
    ("baseline.json", '{"schema": "policycheck/baseline/v1", "findings": [{"contract": "a\\ud800"}]}',
     ["run", "policies", "contracts", "--baseline", "baseline.json"], "lone surrogate"),
    ("facts.json", '{"schema": "policycheck/facts/v1", "documents": [{"path": "a", "facts": [{"name": '
     '"minimum_age", "value": 18, "qualifiers": [1], "evidence": {"line": 1, "column": 1, "end_line": 1, '
     '"end_column": 2, "text": "x"}}]}]}', ["run", "policies", "--facts", "facts.json"],
     "qualifiers must be an object"),
    ("facts.json", '{"schema": "policycheck/facts/v1", "documents": [{"path": "a\\udc00", "facts": []}]}',
     ["run", "policies", "--facts", "facts.json"], "lone surrogate \\udc00"),
    ("facts.json", '{"schema": "policycheck/facts/v1", "documents": [{"path": "a", "facts": [{"name": '
     '"minimum_age", "value": ' + HUGE + "}]}]}", ["run", "policies", "--facts", "facts.json"],
     "not usable JSON"),
    ("facts.json", '{"schema": "policycheck/facts/v1", "documents": [{"path": "a", "facts": true}]}',
     ["run", "policies", "--facts", "facts.json"], '"facts" must be a list'),      # found by the campaign
    ("facts.yaml", f"a.txt:\n  minimum_age: {HUGE}\n", ["run", "policies", "--facts", "facts.yaml"],
     "a number in a literal has at most 24"),
    ("facts.yaml", "a.txt:\n  data_deletion_after: 2026-02-30\n", ["run", "policies", "--facts", "facts.yaml"],
     "facts.yaml:2:24:"),
    ("facts/x.yaml", "facts:\n  my_flag:\n    type: boolean\n    description: x\n    examples: [2026-02-30]\n",
     ["run", "contracts"], "x.yaml:5:16: extractor file is not valid YAML: '2026-02-30' is not a date"),
    ("facts/x.yaml", f"facts:\n  my_flag:\n    type: boolean\n    description: {HUGE}\n", ["run", "contracts"],
     "is not an integer"),
    ("facts/x.yaml", "rules:\n  - fact: governing_law\n    id: my.law\n    language: en\n    patterns: [a b]\n"
     "    window: abc\n", ["run", "contracts"], "x.yaml:6:"),
    ("facts/x.yaml", "facts: [governing_law]\n", ["run", "contracts"], "x.yaml:1:8:"),
    ("facts/x.yaml", "rules:\n  - fact: [governing_law]\n", ["run", "contracts"], "x.yaml:2:11:"),
]


@pytest.mark.parametrize("name, text, args, expected", MESSAGE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(MESSAGE_CASES)])
def test_bad_values_are_messages_not_internal_errors(cli, tmp_path, name, text, args, expected):
    root = _repo(tmp_path)
    if name.startswith("facts/"):
        (root / "facts").mkdir()
        (root / "policycheck.yaml").write_text("policies: [policies]\nextractors: [facts]\n", encoding="utf-8")
    (root / name).write_text(text, encoding="utf-8")
    result = cli(*args, cwd=root)
    assert result.code == 2, result
    assert "internal error" not in result.err and "Traceback" not in result.err, result.err
    assert expected in result.err, result.err


# -- 6. invalid or wrong output ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1" * 400 + ".5", "1" * 400 + ".5"),        # as a float it would be Infinity
    ("9" * 30, "9" * 30),                        # more than a double holds exactly
    ("18", 18), ("2.5", 2.5), ("-3", -3),
])
def test_json_numbers_are_valid_and_exact(text, expected):
    from decimal import Decimal

    value = literal_of(Decimal(text))
    assert value == expected
    assert json.loads(json.dumps(value, allow_nan=False)) == expected


def test_percent_prints_every_digit():
    value = Percent(parse_literal("percent", "99.99999999999999999999%").value)
    assert value.literal() == "99.99999999999999999999%"       # 22 digits: no rounding to 100%
    assert _format_decimal(parse_literal("number", "0.000000000000000000001")) == "0.000000000000000000001"
    # A value read from a contract is not bounded like a literal: it prints exactly too (the
    # 28 digits of decimal arithmetic once made this 100).
    from decimal import Decimal

    assert _format_decimal(Decimal("99." + "9" * 30)) == "99." + "9" * 30


def test_given_fact_position_must_be_a_real_place(cli, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"schema": "policycheck/facts/v1", "documents": [{"path": "a.txt", "facts": [
        {"name": "governing_law", "value": "US", "evidence": {"line": -5, "column": 1, "end_line": -5,
                                                              "end_column": 3, "text": "x"}}]}]}), encoding="utf-8")
    policy = tmp_path / "p.policy"
    policy.write_text(POLICY, encoding="utf-8")
    result = cli("run", policy, "--facts", facts, "-f", f"sarif:{tmp_path / 'out.sarif'}")
    assert result.code == 2 and "count from 1" in result.err, result
    assert not (tmp_path / "out.sarif").exists()


def test_failed_write_keeps_the_previous_report(tmp_path, monkeypatch):
    from policycheck.errors import UsageError
    from policycheck.report.outputs import write_file

    report = tmp_path / "report.json"
    report.write_text('{"previous": true}\n', encoding="utf-8")

    class FullDisk:
        """A stream on a full disk: opened, and every write fails."""

        def __init__(self, descriptor: int) -> None:
            self.descriptor = descriptor

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            os.close(self.descriptor)

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda descriptor, *args, **kwargs: FullDisk(descriptor))
    with pytest.raises(UsageError, match="No space left on device"):
        write_file(str(report), '{"new": true}\n')
    monkeypatch.undo()
    assert report.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]        # no temporary file left


def test_run_with_a_bad_policy_keeps_the_previous_reports(cli, tmp_path):
    root = _repo(tmp_path)
    report = root / "report.json"
    report.write_text("previous\n", encoding="utf-8")
    (root / "policies" / "base.policy").write_text("require nonsense\n", encoding="utf-8")
    result = cli("run", "policies", "contracts", "-f", "json:report.json", cwd=root)
    assert result.code == 2
    assert report.read_text(encoding="utf-8") == "previous\n"


# -- 7. a valid policy refused -----------------------------------------------------------------

def test_statements_whose_short_ids_agree_both_load(cli, tmp_path):
    policy = tmp_path / "ages.policy"
    policy.write_text("require minimum_age >= 6858\nrequire minimum_age >= 8508\n", encoding="utf-8")
    result = cli("validate", policy)
    assert result.code == 0 and "2 rules: ok" in result.out, result
    from policycheck.policy.loader import load_policies

    policy_set, errors = load_policies([str(policy)])
    ids = [rule.id for rule in policy_set.rules]
    assert not errors and len(set(ids)) == 2
    assert all(rule_id.startswith("ages.require-minimum_age-") and len(rule_id.rsplit("-", 1)[1]) > 6
               for rule_id in ids), ids
    # The same ids whichever statement comes first.
    policy.write_text("require minimum_age >= 8508\nrequire minimum_age >= 6858\n", encoding="utf-8")
    assert sorted(rule.id for rule in load_policies([str(policy)])[0].rules) == sorted(ids)


def test_the_same_statement_twice_is_still_a_duplicate(cli, tmp_path):
    policy = tmp_path / "twice.policy"
    policy.write_text("require minimum_age >= 18\nrequire minimum_age >= 18\n", encoding="utf-8")
    result = cli("validate", policy)
    assert result.code == 2 and "duplicate statement" in result.err, result


# -- 8. one unreadable contract does not stop the run ------------------------------------------

def test_unreadable_contract_on_the_command_line_is_an_input_error(cli, tmp_path, monkeypatch):
    root = _repo(tmp_path)
    (root / "contracts" / "locked.txt").write_text(CONTRACT, encoding="utf-8")
    real_access = os.access
    # As root nothing is unreadable, so the permission check that click makes is what is denied.
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if str(path).endswith("locked.txt")
                        else real_access(path, mode, *a, **k))
    result = cli("run", "policies", "contracts/locked.txt", "contracts/terms.txt", cwd=root)
    assert "terms.txt (en)" in result.out, result
    assert "not readable" not in result.err, result


def test_contract_with_a_name_that_is_not_utf8(cli, tmp_path):
    root = _repo(tmp_path)
    try:
        (root / "contracts" / os.fsdecode(b"bad\xff.txt")).write_text(CONTRACT, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses such names")
    result = cli("run", "policies", "contracts", "-f", "json", cwd=root)
    assert result.code == 2
    data = json.loads(result.out)
    assert data["errors"][0]["path"].endswith("bad\\xff.txt")
    assert "not valid UTF-8" in data["errors"][0]["message"]
    assert [d["path"] for d in data["documents"]] == ["contracts/terms.txt"]


# -- 9. stdin reads like a file ----------------------------------------------------------------

@pytest.mark.parametrize("data, code", [
    (b"require governing_law in CN # \xff\n", 2),
    (b"\xef\xbb\xbfrequire   governing_law in CN\n", 0),
    (b"require governing_law in CN\x00\n", 2),
])
def test_fmt_stdin_reads_like_a_file(cli, tmp_path, monkeypatch, data, code):
    import io

    path = tmp_path / "p.policy"
    path.write_bytes(data)
    from_file = cli("fmt", "--stdout", path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    from_stdin = cli("fmt", "-")
    assert from_file.code == from_stdin.code == code, (from_file, from_stdin)
    if code == 0:
        assert from_stdin.out == from_file.out == "require governing_law in CN\n"
