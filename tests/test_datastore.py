"""What is kept on disk between runs (parsed YAML, policy ASTs, the shipped rule book) gives
exactly what parsing again gives, and a damaged or foreign entry is ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policycheck import datastore, yamlload
from policycheck.errors import PolicySyntaxError
from policycheck.facts import rules
from policycheck.policy import cachedparse, parser

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    datastore._store.cache_clear()
    yield tmp_path
    datastore._store.cache_clear()


def test_derived_is_built_once_then_read(store):
    calls = []

    def build():
        calls.append(1)
        return {"a": [1, 2.5, None, True], "b": ("x", frozenset({"y"}))}

    first = datastore.derived("test", (b"source",), build)
    second = datastore.derived("test", (b"source",), build)
    assert first == second and len(calls) == 1
    assert datastore.derived("test", (b"other source",), build) == first and len(calls) == 2
    # The parts of the key are kept apart: ("ab", "c") is not ("a", "bc").
    datastore.derived("test", (b"ab", b"c"), build)
    datastore.derived("test", (b"a", b"bc"), build)
    assert len(calls) == 4


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other-key", "bad-data"])
def test_damaged_entries_are_derived_again(store, damage):
    datastore.derived("test", (b"k",), lambda: ["value"])
    [entry] = list(store.rglob("*.marshal"))
    data = entry.read_bytes()
    entry.write_bytes({"truncate": data[:-2], "garbage": b"\x00\xffnot an entry",
                       "other-key": data.replace(data[25:35], b"0123456789"),
                       "bad-data": data[:-6] + b"\xff\xff\xff\xff\xff\xff"}[damage])
    assert datastore.derived("test", (b"k",), lambda: ["value"]) == ["value"]


def test_decode_failure_is_derived_again(store):
    datastore.derived("test", (b"k",), lambda: ["Unknown", 1], encode=lambda value: value)
    result = datastore.derived("test", (b"k",), lambda: "built", decode=lambda data: {}[data[0]])
    assert result == "built"


def test_what_marshal_cannot_write_is_not_kept(store):
    import datetime

    calls = []
    for _ in range(2):
        datastore.derived("test", (b"date",), lambda: calls.append(1) or datetime.date(2026, 1, 1))
    assert len(calls) == 2 and not list(store.rglob("*.marshal"))


def test_unwritable_store_builds_every_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    datastore._store.cache_clear()
    try:
        assert datastore.derived("test", (b"k",), lambda: 42) == 42
    finally:
        datastore._store.cache_clear()


def test_yaml_from_the_store_equals_parsed(store):
    for path in sorted((REPO / "policycheck").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = yamlload.safe_load(text)
        assert yamlload.load_data(text) == parsed      # parsed and kept
        assert yamlload.load_data(text) == parsed      # read back
    with pytest.raises(yamlload.YAMLError):
        yamlload.load_data("key: [unclosed\n")


def _policy_texts() -> list[Path]:
    return sorted((REPO / "policies").glob("*.policy")) + sorted((REPO / "examples").rglob("*.policy"))


@pytest.mark.parametrize("path", _policy_texts(), ids=lambda p: str(p.relative_to(REPO)))
def test_policy_ast_from_the_store_equals_parsed(store, path):
    text = path.read_text(encoding="utf-8")
    expected = parser.parse_policy(text, str(path))
    for _ in range(2):      # parsed and kept, then read back
        got = cachedparse.parse_policy(text, str(path))
        assert got == expected and got.items == expected.items and got.source == text
        assert repr(got.items) == repr(expected.items)


def test_policy_syntax_errors_are_never_kept(store):
    for _ in range(2):
        with pytest.raises(PolicySyntaxError) as caught:
            cachedparse.parse_policy("require governing_law in [CN\n", "bad.policy")
        assert (caught.value.line, caught.value.path) == (1, "bad.policy")
    assert not list((store / "policycheck").glob("policy-ast-v1/*/*.marshal"))


def _rule_data(book) -> list[tuple]:
    def regex(lazy):
        return None if lazy is None else (lazy.pattern, int(lazy.flags))

    return [(r.id, r.fact, r.language, r.triggers, [(p.source, p.language, p.where) for p in r.patterns], r.value,
             r.qualifiers, regex(r.negation), r.negated_value, regex(r.exclude), regex(r.context), r.fallback,
             r.window) for r in book.rules]


def test_shipped_rule_book_from_the_store_equals_compiled(store):
    files = [(where, text, language, False) for where, text, language in rules._shipped_rule_files()]
    compiled = rules._compile_rule_files(files)
    kept = rules.build_rulebook()        # compiled and kept
    loaded = rules.build_rulebook()      # read back
    assert _rule_data(kept) == _rule_data(loaded) == _rule_data(compiled)
    assert loaded.catalogue is compiled.catalogue
    assert list((store / "policycheck").glob("rulebook-v1/*/*.marshal"))


def test_warm_quiet_run_imports_no_parser_or_template_engine(tmp_path):
    """A pre-commit run on unchanged policies and data needs neither PyYAML, Lark nor Jinja2."""
    code = ("import sys\nfrom policycheck.cli.main import main\n"
            "code = main(['run', 'policies', 'examples/contracts/cloudnote-saas-terms.txt', '-q', '--jobs', '1'])\n"
            "print(code, sorted(m for m in ('yaml', 'lark', 'jinja2') if m in sys.modules))\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    env.pop("CI", None)
    outputs = [subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                              check=True).stdout.split(maxsplit=1) for _ in range(2)]
    assert outputs[0][0] == outputs[1][0] == "1"
    assert json.loads(outputs[1][1].replace("'", '"')) == []
