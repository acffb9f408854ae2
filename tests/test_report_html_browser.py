"""The HTML report in a real browser (headless Chromium): it renders the findings, and no script
or markup from a hostile contract comes alive. Skipped when Chromium is not installed."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policycheck.report.base import RenderOptions, reporter
from report_sample import sample_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")


def _chromium(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={profile}", *action, page.as_uri()]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        pytest.fail(f"chromium failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return completed


class _Dom(HTMLParser):
    """The elements of a dumped DOM: tag, attributes, and the text inside each <mark> and <h3>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {"mark": [], "h3": [], "title": [], "blockquote": [], "a": []}

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in self.texts:
            self.texts[tag].append("")
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        for tag in set(self.open):
            self.texts[tag][-1] += data

    def having(self, tag: str, css_class: str | None = None) -> list[dict]:
        return [attrs for name, attrs in self.elements
                if name == tag and (css_class is None or css_class in (attrs.get("class") or "").split())]


def _dump(page: Path, tmp_path: Path) -> _Dom:
    dom = _Dom()
    dom.feed(_chromium(page, tmp_path / "profile", "--dump-dom").stdout)
    return dom


def _with_contract_files(directory: Path) -> None:
    """The sample's contracts on disk where its paths say, so the report shows their text too."""
    from report_sample import BILINGUAL_CONTRACT, CLEAN_CONTRACT, HOSTILE_CONTRACT, QUIET_CONTRACT

    (directory / "contracts").mkdir(exist_ok=True)
    for name, text in (("northwind <terms>.txt", HOSTILE_CONTRACT), ("bilingual.txt", BILINGUAL_CONTRACT),
                       ("quiet.txt", QUIET_CONTRACT), ("clean.txt", CLEAN_CONTRACT)):
        (directory / "contracts" / name).write_text(text, encoding="utf-8")


def test_browser_renders_findings_and_runs_no_contract_script(tmp_path, monkeypatch):
    _with_contract_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "report.html"
    page.write_text(reporter("html").render(sample_report(str(tmp_path)), RenderOptions()), encoding="utf-8")
    dom = _dump(page, tmp_path)
    # the hostile contract's own text is shown, with its clauses highlighted, as text
    assert len(dom.having("div", "text-view")) == 3          # the clean contract has no findings to show
    assert "seat of arbitration shall be New York" in dom.texts["a"]

    findings = dom.having("article", "finding")
    assert len(findings) == 9
    assert "seat of arbitration shall be New York" in dom.texts["mark"]
    assert "三十日后删除用户数据" in dom.texts["mark"]
    assert "Arbitration seat is US-NY; the playbook requires mainland China" in dom.texts["h3"]
    assert len(dom.having("section", "contract")) == 4
    # the hostile text is there, as text
    assert any("<script>document.title='pwned'</script>" in quote for quote in dom.texts["blockquote"])
    assert any("onerror=" in quote for quote in dom.texts["blockquote"])
    # ...and nothing of it became an element or ran
    assert [tag for tag, _ in dom.elements if tag in ("img", "iframe", "object", "embed")] == []
    # One script, the page's own (sorting the contracts table), allowed by its hash and nothing else.
    assert [tag for tag, _ in dom.elements].count("script") == 1
    assert dom.having("table", "sortable")[0].get("data-sortable") == "yes"
    assert not [attrs for _, attrs in dom.elements if "data-pwned" in attrs]
    body = dom.having("body")[0]
    assert "data-pwned" not in body
    assert "pwned" not in dom.texts["title"][0]
    assert not [attrs for _, attrs in dom.elements if attrs.get("href", "").lower().startswith("javascript")]


def test_the_dom_check_would_see_a_script_that_ran(tmp_path):
    """Control: the same check on a page whose script does run finds it."""
    page = tmp_path / "live.html"
    page.write_text("<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>"
                    "<script>document.body.dataset.pwned='yes'; document.title='pwned'</script></body></html>",
                    encoding="utf-8")
    dom = _dump(page, tmp_path)
    assert dom.having("body")[0].get("data-pwned") == "yes"
    assert dom.texts["title"][0] == "pwned"


def test_browser_screenshot(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(reporter("html").render(sample_report(str(tmp_path)), RenderOptions()), encoding="utf-8")
    shot = tmp_path / "report.png"
    _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1100,1600")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
