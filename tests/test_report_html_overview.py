"""The HTML report of the examples in headless Chromium: the overview's counts against the JSON
report, findings grouped by clause, and every highlighted clause found in the contract view.
Skipped when Chromium is not installed."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, POLICIES, REPO
from test_report_html_browser import _browser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None") -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def all(self, tag: str | None = None, css_class: str | None = None, **attrs) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if ((tag is None or child.tag == tag) and (css_class is None or css_class in child.classes)
                        and all(child.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items())):
                    found.append(child)
                found += child.all(tag, css_class, **attrs)
        return found

    def first(self, tag: str | None = None, css_class: str | None = None, **attrs) -> "Node":
        found = self.all(tag, css_class, **attrs)
        assert found, (tag, css_class, attrs)
        return found[0]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def _words(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory):
    """policycheck run policies/ examples/contracts, as JSON and as HTML: the JSON, the HTML's DOM
    in Chromium, and the page."""
    from policycheck.cli.main import main

    _browser()
    out = tmp_path_factory.mktemp("html")
    code = main(["run", str(POLICIES), str(EXAMPLES / "contracts"), "-q", "--no-cache",
                 "-f", f"json:{out / 'report.json'}", "-f", f"html:{out / 'report.html'}"])
    assert code == 1
    page = out / "report.html"
    return json.loads((out / "report.json").read_text(encoding="utf-8")), _dom(page, out / "profile"), page


def _dom(page: Path, profile: Path, fragment: str = "") -> Node:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + fragment]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-2000:]
    tree = _Tree()
    tree.feed(completed.stdout)
    return tree.root


def test_overview_counts_match_the_json_report(examples_run):
    report, dom, page = examples_run
    summary = report["summary"]
    overview = dom.first("section", "overview")
    totals = {item.attrs["data-key"]: int(item.first("b").text()) for item in overview.all("li")}
    assert totals == {"documents": summary["documents"], "error": summary["by_severity"]["error"],
                      "warning": summary["by_severity"]["warning"], "info": summary["by_severity"]["info"],
                      "waived": summary["by_status"]["waived"]}
    # findings by rule: every rule that fired, with its count and its number of contracts
    expected: dict[str, list] = {}
    for document in report["documents"]:
        for finding in document["findings"]:
            row = expected.setdefault(finding["rule"], [0, set()])
            row[0] += 1
            row[1].add(document["path"])
    rows = overview.first("table", id="rules-table").first("tbody").all("tr")
    shown = {row.attrs["data-rule"]: [int(cell.text()) for cell in row.all("td")[1:]] for row in rows}
    assert set(shown) == set(expected)
    for rule, cells in shown.items():
        assert sum(cells[:4]) == expected[rule][0] and cells[4] == len(expected[rule][1]), rule
    # the contracts table: one row per contract, its counts, a link to its section
    contracts = overview.first("table", id="contracts-table").first("tbody").all("tr")
    assert len(contracts) == summary["documents"]
    for row, document in zip(contracts, report["documents"]):
        link = row.first("a")
        assert link.text() == document["path"]
        section = dom.first("section", id=link.attrs["href"][1:])
        assert section.first("h2").text() == document["path"]
        counts = [int(cell.text()) for cell in row.all("td")[2:6]]
        assert counts[0] == sum(f["severity"] == "error" and f["status"] != "waived" for f in document["findings"])
        assert counts[1] == sum(f["severity"] == "warning" and f["status"] != "waived" for f in document["findings"])
    # the governing-law chart counts contracts per law, and those without one
    law = next(figure for figure in overview.all("figure", "fact-chart") if figure.attrs["data-title"] == "Governing law")
    with_law = [d for d in report["documents"] if any(f["name"] == "governing_law" for f in d["facts"])]
    assert int(law.attrs["data-found"]) == len(with_law)
    bars = {group.first("text", "label").text(): int(group.first("text", "count").text()) for group in law.all("g")}
    assert bars["not found"] == summary["documents"] - len(with_law)
    china = sum(any(f["name"] == "governing_law" and f["value"] == "CN" for f in d["facts"]) for d in report["documents"])
    assert bars["CN"] == china and china >= 5


def test_findings_are_grouped_by_clause(examples_run):
    report, dom, page = examples_run
    sections = {section.first("h2").text(): section for section in dom.all("section", "contract")}
    several = 0
    for document in report["documents"]:
        section = sections[document["path"]]
        clauses = section.all("section", "clause")
        # each finding is in exactly one clause, and all findings quoting one place are together
        def shown(clause):
            return {(a.attrs["data-rule"], a.first("h3").text()) for a in clause.all("article", "finding")}

        assert sorted(pair for clause in clauses for pair in shown(clause)) == \
            sorted((f["rule"], f["message"]) for f in document["findings"])
        by_place: dict[tuple, set] = {}
        for finding in document["findings"]:
            first = finding["evidence"][0] if finding["evidence"] else None
            place = (first["line"], first["column"], first["end_line"], first["end_column"]) if first else None
            by_place.setdefault(place, set()).add((finding["rule"], finding["message"]))
        for place, expected in by_place.items():
            holding = [clause for clause in clauses if expected & shown(clause)]
            assert len(holding) == 1 and expected <= shown(holding[0]), (document["path"], place, expected)
        several += sum(len(clause.all("article", "finding")) > 1 for clause in clauses if clause.all("figure"))
    assert several >= 5               # one clause that breaks several rules appears once


def test_every_highlighted_clause_is_found_in_the_contract_view(examples_run):
    report, dom, page = examples_run
    checked = 0
    for section in dom.all("section", "contract"):
        views = section.all("div", "text-view")
        quoted = [clause for clause in section.all("section", "clause") if clause.all("figure")]
        if not quoted:
            continue
        assert len(views) == 1, section.first("h2").text()
        view = views[0]
        for clause in quoted:
            clause_id = clause.attrs["id"]
            jump = clause.first("figcaption").first("a")
            assert jump.attrs["href"] == f"#{clause_id}-at"
            assert view.all(id=f"{clause_id}-at"), clause_id
            quote = clause.first("figure").first("mark").text()
            highlighted = "".join(link.text() for link in view.all("a", "hl")
                                  if clause_id in link.attrs["data-groups"].split())
            assert _words(quote) in _words(highlighted), (clause_id, quote, highlighted)
            # and each highlight leads back to a clause of this contract
            checked += 1
        for link in view.all("a", "hl"):
            assert section.all("section", id=link.attrs["href"][1:])
    assert checked >= 50


def test_the_table_sorts_and_filters_with_its_own_script(examples_run, tmp_path):
    report, dom, page = examples_run
    table = dom.first("table", id="contracts-table")
    assert table.attrs.get("data-sortable") == "yes"          # the script ran under the page's CSP
    assert all(head.all("button") for head in table.first("thead").all("th"))
    assert "hidden" not in dom.first("input", id="contract-filter").attrs
    # unsorted: input order; sorted by a link's #sort=errors-desc: most errors first, ties in input order
    paths = [document["path"] for document in report["documents"]]
    assert [row.first("a").text() for row in table.first("tbody").all("tr")] == paths
    errors = {document["path"]: sum(f["severity"] == "error" and f["status"] != "waived" for f in document["findings"])
              for document in report["documents"]}
    sorted_dom = _dom(page, tmp_path / "profile", "#sort=errors-desc")
    rows = sorted_dom.first("table", id="contracts-table").first("tbody").all("tr")
    expected = sorted(paths, key=lambda path: (-errors[path], paths.index(path)))
    assert expected != paths                                  # the order really changes
    assert [row.first("a").text() for row in rows] == expected
    head = sorted_dom.first("th", data_key="errors")
    assert head.attrs["aria-sort"] == "descending"


def test_docs_screenshot_is_kept_and_regenerates(tmp_path):
    _browser()
    kept = REPO / "docs" / "report-overview.png"
    assert kept.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shot = tmp_path / "overview.png"
    completed = subprocess.run([sys.executable, str(REPO / "tools" / "report_screenshot.py"), "--output", str(shot)],
                               cwd=REPO, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
