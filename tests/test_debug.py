"""--debug shows a traceback; without it no traceback reaches the user, and a bug met while
checking one contract does not lose the others."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, POLICIES

GOOD = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"
OTHER = EXAMPLES / "contracts" / "yunduan-service-agreement.txt"


@pytest.fixture
def broken_validate(monkeypatch):
    """Make static checking fail with an unexpected exception: a stand-in for any bug."""
    import policycheck.cli.validate_cmd as validate_cmd

    def explode(*args, **kwargs):
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(validate_cmd, "load_checked_policies", explode)


def test_internal_error_without_debug_has_no_traceback(cli, broken_validate):
    result = cli("validate", POLICIES)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "internal error: RuntimeError: simulated defect" in result.err
    assert "--debug" in result.err


@pytest.mark.parametrize("where", ["before", "after"])
def test_internal_error_with_debug_shows_the_traceback(cli, broken_validate, where):
    args = ["--debug", "validate", str(POLICIES)] if where == "before" else ["validate", str(POLICIES), "--debug"]
    result = cli(*args)
    assert result.code == 2
    assert "Traceback (most recent call last)" in result.err
    assert "RuntimeError: simulated defect" in result.err


def test_user_error_with_debug_shows_the_traceback_too(cli, tmp_path):
    policy = tmp_path / "bad.policy"
    policy.write_text("require governing_law in\n", encoding="utf-8")
    plain = cli("validate", policy)
    assert plain.code == 2 and "Traceback" not in plain.err
    debug = cli("--debug", "validate", policy)
    assert debug.code == 2
    assert "unexpected end of file" in debug.err


def test_bug_in_one_contract_keeps_the_others(cli, monkeypatch):
    from policycheck.facts.engine import Extractor

    real_extract = Extractor.extract

    def extract(self, document):
        if "yunduan" in document.path:
            raise IndexError("simulated defect")
        return real_extract(self, document)

    monkeypatch.setattr(Extractor, "extract", extract)
    result = cli("run", POLICIES / "design-card.policy", OTHER, GOOD, "-f", "json", "--no-cache")
    assert result.code == 2
    assert "Traceback" not in result.err
    data = json.loads(result.out)
    assert [d["path"] for d in data["documents"]] == [str(GOOD)]
    assert data["errors"][0]["path"] == str(OTHER)
    assert "internal error" in data["errors"][0]["message"]
    assert "IndexError: simulated defect" in data["errors"][0]["message"]
    debug = cli("--debug", "run", POLICIES / "design-card.policy", OTHER, GOOD, "-f", "json", "--no-cache")
    assert debug.code == 2
    assert "Traceback (most recent call last)" in debug.err and "IndexError: simulated defect" in debug.err


def test_debug_shows_why_an_office_file_could_not_be_parsed(cli, tmp_path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n")
    plain = cli("run", POLICIES / "design-card.policy", damaged, GOOD, "--no-cache")
    assert plain.code == 2 and "Traceback" not in plain.err
    assert plain.err.strip() == f"policycheck: {damaged}: is not a readable PDF file (PdfStreamError)"
    debug = cli("--debug", "run", POLICIES / "design-card.policy", damaged, GOOD, "--no-cache")
    assert debug.code == 2
    assert "Traceback (most recent call last)" in debug.err and "PdfStreamError" in debug.err
