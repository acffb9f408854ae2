"""Malicious or broken policies, configuration and data files: exit 2, a message, no traceback,
no file read outside the policy tree, no code executed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import EXAMPLES, POLICIES

CONTRACT = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"
SENTINEL_NAME = "executed.txt"


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _object_tag(tmp: Path) -> str:
    """YAML that would run a command (creating the sentinel file) if it were loaded unsafely."""
    return f'!!python/object/apply:os.system ["touch {tmp / SENTINEL_NAME}"]'


def _assert_clean_exit_2(result, *needles: str) -> None:
    assert result.code == 2, result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert "internal error" not in result.err, result.err
    for needle in needles:
        assert needle in result.err, result.err


# -- policy files ----------------------------------------------------------------------------

POLICY_CASES = [
    ("syntax garbage", "}{][ require require )( ;;\n", "unexpected '}'"),
    ("binary bytes", b"\x00\x01\x02\xff\xfe policy", "is a binary file, not a policy"),
    ("not UTF-8", "require governing_law in [CN]  # caf\xe9\n".encode("latin-1"), "is not UTF-8"),
    ("3,000 nots", "require " + "not " * 3000 + "governing_law\n", "condition nests more than"),
    ("5,000 ands in parentheses", "require " + "(governing_law and " * 5000 + "governing_law" + ")" * 5000 + "\n",
     "nests more than"),
    ("unterminated string", 'rule r "title {\n  require governing_law\n}\n', "unterminated string"),
    ("absolute include", 'include "/etc/passwd"\nrequire governing_law\n', "is an absolute path"),
    ("include leaving the tree", 'include "../../../../../../etc/passwd"\n', "leaves the policy directory"),
    ("include of a directory", 'include "."\n', ""),
    ("self include", 'include "main.policy"\nrequire governing_law\n', "include cycle"),
    ("very large file", "flag data_deletion_after < 90d\n" * 100_000, "a policy file may have at most"),
]


@pytest.mark.parametrize("case, content, needle", POLICY_CASES, ids=[c[0] for c in POLICY_CASES])
def test_broken_policy(cli, tmp_path, case, content, needle):
    policy = _write(tmp_path / "tree" / "main.policy", content)
    for command in (("validate", policy), ("run", policy, CONTRACT)):
        result = cli(*command)
        _assert_clean_exit_2(result, needle)
        assert str(policy) in result.err or "main.policy" in result.err


def test_5000_nested_parentheses_are_harmless(cli, tmp_path):
    """Parentheses add no depth to the AST (the LALR parser reduces them without recursion), so
    they are accepted and evaluated like the bare condition; deep and/or/not nesting is refused."""
    policy = _write(tmp_path / "tree" / "main.policy", "require " + "(" * 5000 + "governing_law" + ")" * 5000 + "\n")
    result = cli("run", policy, CONTRACT, "-f", "json")
    assert result.code == 0, result
    assert "Traceback" not in result.err


def test_include_through_a_symbolic_link_out_of_the_tree(cli, tmp_path):
    secret = _write(tmp_path / "outside" / "secret.policy", "require governing_law in [US]\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "linked").symlink_to(secret.parent, target_is_directory=True)
    policy = _write(tree / "main.policy", 'include "linked/secret.policy"\n')
    result = cli("validate", policy)
    _assert_clean_exit_2(result, "leaves the policy directory")


def test_policy_errors_never_show_text_of_files_outside_the_tree(cli, tmp_path):
    _write(tmp_path / "private.policy", "this line is private and not a policy\n")
    policy = _write(tmp_path / "tree" / "main.policy", 'include "../private.policy"\n')
    result = cli("validate", policy)
    _assert_clean_exit_2(result)
    assert "this line is private" not in result.err + result.out


# -- YAML: configuration, waivers, given facts, extractors -------------------------------------

def _deep_yaml(key: str) -> str:
    return f"{key}: " + "[" * 3000 + "x" + "]" * 3000 + "\n"


def _bomb_yaml(key: str) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines.append(f"{key}: *a8")
    return "\n".join(lines) + "\n"


YAML_KINDS = {
    "config": (lambda path: ("run", "--config", path, POLICIES / "design-card.policy", CONTRACT), "policies"),
    "waivers": (lambda path: ("run", POLICIES / "design-card.policy", CONTRACT, "--waivers", path), "waivers"),
    "facts": (lambda path: ("run", POLICIES / "design-card.policy", "--facts", path), "contract.txt"),
}


@pytest.mark.parametrize("kind", list(YAML_KINDS))
@pytest.mark.parametrize("case", ["object tag", "deep nesting", "alias bomb", "binary", "syntax garbage"])
def test_hostile_yaml(cli, tmp_path, monkeypatch, kind, case):
    command, key = YAML_KINDS[kind]
    content = {
        "object tag": f"{key}: {_object_tag(tmp_path)}\n",
        "deep nesting": _deep_yaml(key),
        "alias bomb": _bomb_yaml(key),
        "binary": b"\x00\x01\x02\x03" + key.encode() + b": [\xff\xfe]\n",
        "syntax garbage": f"{key}: [unclosed, {{ nope\n  - : : :\n",
    }[case]
    path = _write(tmp_path / f"{kind}.yaml", content)
    monkeypatch.chdir(tmp_path)
    result = cli(*command(path))
    _assert_clean_exit_2(result, f"{kind}.yaml")
    assert not (tmp_path / SENTINEL_NAME).exists(), "a YAML tag executed code"


def test_extractor_file_with_object_tag_runs_nothing(cli, tmp_path):
    extractors = _write(tmp_path / "extractors" / "evil.yaml",
                        f"rules:\n  - fact: governing_law\n    id: x\n    patterns: {_object_tag(tmp_path)}\n")
    # Paths in a config stay inside its repository: the policy is copied in.
    _write(tmp_path / "design-card.policy", (POLICIES / "design-card.policy").read_text(encoding="utf-8"))
    config = _write(tmp_path / "policycheck.yaml", "policies: [design-card.policy]\nextractors: [extractors/]\n")
    result = cli("run", "--config", config, CONTRACT, cwd=tmp_path)
    _assert_clean_exit_2(result, "evil.yaml")
    assert not (tmp_path / SENTINEL_NAME).exists()


def test_facts_json_deeply_nested(cli, tmp_path):
    path = _write(tmp_path / "facts.json", '{"schema": "policycheck/facts/v1", "documents": ' + "[" * 100_000
                  + "]" * 100_000 + "}")
    result = cli("run", POLICIES / "design-card.policy", "--facts", path)
    _assert_clean_exit_2(result, "facts.json")


# -- templates ------------------------------------------------------------------------------

def test_user_template_cannot_reach_python(cli, tmp_path):
    template = _write(tmp_path / "evil.j2", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = cli("run", POLICIES / "design-card.policy", CONTRACT, "--template", template)
    _assert_clean_exit_2(result, "template not allowed: access to attribute '__class__' of 'str' object is unsafe")
    assert "subclasses" not in result.out


def test_user_template_cannot_reach_globals(cli, tmp_path):
    template = _write(tmp_path / "evil.j2", "{{ cycler.__init__.__globals__ }}")
    result = cli("run", POLICIES / "design-card.policy", CONTRACT, "--template", template)
    _assert_clean_exit_2(result, "template not allowed: access to attribute '__init__'")


def test_user_template_cannot_read_files_outside_its_folder(cli, tmp_path):
    _write(tmp_path / "secret.txt", "very secret\n")
    template = _write(tmp_path / "templates" / "evil.j2", '{% include "../secret.txt" %}')
    result = cli("run", POLICIES / "design-card.policy", CONTRACT, "--template", template)
    _assert_clean_exit_2(result, "evil.j2:1: template error: ../secret.txt")
    assert "very secret" not in result.out


def test_shipped_html_and_markdown_escape_contract_text(cli, tmp_path):
    contract = _write(tmp_path / "terms.txt",
                      "These terms are governed by the laws of England <script>alert(1)</script>.\n"
                      "The seat of arbitration shall be London <img src=x onerror=alert(2)> | **bold** |.\n")
    html = tmp_path / "report.html"
    markdown = tmp_path / "report.md"
    result = cli("run", POLICIES / "design-card.policy", contract, "-f", f"html:{html}", "-f", f"markdown:{markdown}")
    assert result.code == 1, result
    page = html.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    text = markdown.read_text(encoding="utf-8")
    assert "<img src=x" not in text
