"""Report formats: golden text and Markdown, schema-valid JSON and SARIF, JUnit counts, GitHub
escaping, hostile contract text, user templates, output destinations, determinism."""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, POLICIES, REPO
from policycheck.cli.progress import Progress
from policycheck.errors import UsageError
from policycheck.report.base import RenderOptions, format_names, reporter
from policycheck.report.escaping import github_data, github_property, markdown_text, safe_url, terminal_text
from policycheck.report.formats import REPORT_SCHEMA, UserTemplateReporter, report_schema
from policycheck.report.outputs import check_outputs, parse_output
from report_sample import sample_report
from policycheck.report.model import RunReport, ordered_findings

GOLDEN = Path(__file__).parent / "golden" / "reports"
# The OASIS schema, carried by the repository (tests/schemas/README.md says where it is from).
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
EN_EXAMPLE = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"


@pytest.fixture
def report(tmp_path):
    return sample_report(str(tmp_path))


def render(report, name: str, **options) -> str:
    return reporter(name).render(report, RenderOptions(**options))


# -- the registry ---------------------------------------------------------------------------

def test_every_format_of_the_design_is_registered_once():
    assert format_names() == ["text", "markdown", "html", "json", "sarif", "junit", "github", "compact"]
    for name in format_names():
        assert reporter(name).name == name and reporter(name).description


def test_unknown_format_is_a_usage_error(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "pdf")
    assert result.code == 2
    assert "unknown format 'pdf'" in result.err and "sarif" in result.err
    assert "Traceback" not in result.err


# -- golden files (checked by hand against report_sample.py) ----------------------------------

@pytest.mark.parametrize("name, golden", [("text", "sample.txt"), ("markdown", "sample.md"),
                                          ("compact", "sample.compact")])
def test_golden(report, name, golden):
    expected = (GOLDEN / golden).read_text(encoding="utf-8")
    assert render(report, name) == expected


def test_text_colour_only_when_asked(report):
    plain = render(report, "text")
    coloured = render(report, "text", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31merror  \x1b[0m" in coloured
    assert re.sub(r"\x1b\[\d+m", "", coloured) == plain


def test_text_removes_terminal_escapes_from_contract_text(report):
    for color in (False, True):
        text = render(report, "text", color=color)
        assert "\x1b[31mred" not in text
    assert terminal_text("a\x1b[2Jb\u202ec\x07") == "a\ufffd[2Jb\ufffdc\ufffd"


def test_cli_text_has_no_colour_under_no_color(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE)       # the fixture sets NO_COLOR
    assert "\x1b[" not in result.out
    assert 'line 17:57  "seat of arbitration shall be New York"' in result.out
    assert "Result: failed (1 finding at or above --fail-on error)." in result.out


# -- Markdown ---------------------------------------------------------------------------------

def test_markdown_escapes_contract_text(report):
    markdown = render(report, "markdown")
    assert "<script" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in markdown
    assert r"\| \`code\` \*\*bold\*\* \[link\](https://evil.example)" in markdown
    assert "@\u200blegal-team" in markdown and "@legal-team" not in markdown
    assert "javascript:" not in markdown
    assert "contracts/northwind &lt;terms&gt;.txt" in markdown
    # every table row keeps its four cells: no pipe from a contract splits a cell
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| Severity"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line


def test_markdown_text_escaping():
    assert markdown_text("a|b `c` *d* _e_ [f](g) <h> & #1 ~x~ \\") == \
        r"a\|b \`c\` \*d\* \_e\_ \[f\](g) &lt;h&gt; &amp; \#1 \~x\~ \\"
    assert markdown_text("line\nbreak\r\nand\ttab") == "line break and tab"
    assert markdown_text("mail me@example.com or @team") == "mail me@example.com or @\u200bteam"


# -- HTML (static checks; the browser test is in test_report_html_browser.py) -----------------

def test_html_is_self_contained_and_escaped(report):
    html = render(report, "html")
    # One script, the page's own table sorting; the CSP allows it by its hash and nothing else.
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1 and html.lower().count("<script") == 1
    from policycheck.report.templating import _csp_hash

    assert f"script-src '{_csp_hash(scripts[0])}'" in html
    assert not re.search(r"<img\b", html, re.I)
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;document.body.dataset.pwned=&#39;yes&#39;&#34;&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace(
        'href="https://playbook.example.com/disputes#seat"', ""))
    assert 'href="javascript' not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "\x1b" not in html


# -- JSON ---------------------------------------------------------------------------------------

def test_json_matches_the_shipped_schema(report):
    data = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)
    assert data["schema"] == REPORT_SCHEMA
    assert list(data) == ["schema", "version", "summary", "documents", "errors"]
    finding = data["documents"][0]["findings"][0]
    assert list(finding) == ["rule", "verb", "severity", "status", "message", "facts", "evidence", "policy"]
    assert finding["rule"] == "arbitration-seat"
    assert finding["policy"] == {"path": "playbook.policy", "line": 3}
    # "seat of arbitration shall be New York" starts at column 42 of line 5 of the sample text
    assert finding["evidence"] == [{"line": 5, "column": 42, "end_line": 5, "end_column": 78,
                                    "text": "seat of arbitration shall be New York"}]
    waived = [f for f in data["documents"][1]["findings"] if f["status"] == "waived"]
    assert waived[0]["waiver"]["approved_by"] == "A. Chen"
    baselined = [f for d in data["documents"] for f in d["findings"] if f.get("baseline")]
    assert [(f["rule"], f["status"]) for f in baselined] == [("export-window", "missing")]
    assert data["summary"]["baselined"] == 1 and data["summary"]["failing"] == 3
    assert data["errors"] == [{"path": "contracts/broken.txt", "message": "not a text file (binary content)"}]


def test_json_schema_rejects_a_wrong_report(report):
    data = json.loads(render(report, "json"))
    data["documents"][0]["findings"][0]["status"] = "bad"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)


def test_cli_json_validates(cli):
    result = cli("run", POLICIES / "design-card.policy", EXAMPLES / "contracts", "-f", "json")
    jsonschema.validate(json.loads(result.out), report_schema(), cls=jsonschema.Draft202012Validator)


# -- SARIF --------------------------------------------------------------------------------------

def _sarif_schema() -> dict:
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def test_the_sarif_schema_is_the_published_one():
    from hashlib import sha256

    assert sha256(SARIF_SCHEMA.read_bytes()).hexdigest() == \
        "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def _validate_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(_sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_validates_and_describes_every_rule(report):
    log = json.loads(render(report, "sarif"))
    _validate_sarif(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["arbitration-seat", "deletion-window", "export-window", "uptime",
                                              "chinese-law", "conflicting-facts"]
    assert rules[0]["helpUri"] == "https://playbook.example.com/disputes#seat"
    assert rules[0]["shortDescription"]["text"] == "Disputes are arbitrated in mainland China"
    assert "helpUri" not in rules[1]                      # javascript: is not a help link
    assert rules[5]["properties"]["builtin"] is True
    results = run["results"]
    assert len(results) == 9
    first = results[0]
    assert first["ruleId"] == "arbitration-seat" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "contracts/northwind%20%3Cterms%3E.txt", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 42, "endLine": 5, "endColumn": 79,
                                  "snippet": {"text": "seat of arbitration shall be New York"}}
    waived = [r for r in results if "suppressions" in r]
    assert len(waived) == 1 and waived[0]["ruleId"] == "deletion-window"
    assert waived[0]["suppressions"][0]["kind"] == "external"
    assert waived[0]["suppressions"][0]["justification"].startswith("Vendor keeps backups")
    conflict = [r for r in results if r["ruleId"] == "conflicting-facts"][0]
    assert conflict["level"] == "warning" and len(conflict["relatedLocations"]) == 1
    assert [r["ruleId"] for r in results if r.get("baselineState") == "unchanged"] == ["export-window"]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "contracts/broken.txt" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_cli_sarif_validates(cli, tmp_path):
    out = tmp_path / "out" / "policycheck.sarif"
    result = cli("run", POLICIES / "design-card.policy", EXAMPLES / "contracts", "-f", f"sarif:{out}")
    assert result.code == 1 and result.out == ""          # nothing asked on stdout
    _validate_sarif(json.loads(out.read_text(encoding="utf-8")))


# -- JUnit --------------------------------------------------------------------------------------

def test_junit_counts_match_the_findings(report):
    root = ET.fromstring(render(report, "junit").encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [
        "contracts/northwind <terms>.txt", "contracts/bilingual.txt", "contracts/quiet.txt", "contracts/clean.txt",
        "contracts/broken.txt"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    counts = {s.get("name"): (s.get("tests"), s.get("failures"), s.get("skipped")) for s in suites}
    # 5 rules each; the hostile contract fails 3 (seat, export, deletion) and chinese-law does not apply
    assert counts["contracts/northwind <terms>.txt"] == ("5", "3", "1")
    # bilingual: seat + export missing, deletion waived (skipped), chinese-law n/a, plus conflicting-facts
    assert counts["contracts/bilingual.txt"] == ("6", "3", "2")
    # quiet: chinese-law missing; export-window is in the baseline, so skipped, not failed
    assert counts["contracts/quiet.txt"] == ("5", "1", "1")
    assert counts["contracts/clean.txt"] == ("5", "0", "0")
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("22", "7", "1", "4")
    seat = suites[0].find("testcase[@name='arbitration-seat: Disputes are arbitrated in mainland China']")
    assert seat.find("failure").get("type") == "error"
    assert 'line 5:42: "seat of arbitration shall be New York"' in seat.find("failure").text


def test_junit_carries_no_control_characters(report):
    text = render(report, "junit")
    assert "\x1b" not in text
    ET.fromstring(text.encode("utf-8"))


# -- GitHub -------------------------------------------------------------------------------------

def test_github_workflow_commands(report):
    lines = render(report, "github").splitlines()
    # The most severe first: the unreadable contract (never checked), then errors, warnings, notices.
    assert lines[0] == "::error file=contracts/broken.txt,title=policycheck%3A could not read contract::" \
                       "not a text file (binary content)"
    assert lines[1] == ("::error file=contracts/northwind <terms>.txt,line=5,col=42,endColumn=78,"
                        "title=Disputes are arbitrated in mainland China (arbitration-seat)::"
                        "Arbitration seat is US-NY; the playbook requires mainland China%0A"
                        "line 5:42: \"seat of arbitration shall be New York\"")
    kinds = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    assert sum(line.startswith("::error ") for line in lines) == 4       # 3 errors + the unreadable file
    assert sum(line.startswith("::warning ") for line in lines) == 4
    assert sum(line.startswith("::notice ") for line in lines) == 2      # the waived and the baselined one
    assert [line for line in lines if "title=in baseline%3A " in line][0].startswith(
        "::notice file=contracts/quiet.txt,title=in baseline%3A Customers can take their data out")
    for line in lines:                      # contract text never starts a command of its own
        assert line.startswith(("::error ", "::warning ", "::notice ", "policycheck: "))
        assert "\n" not in line and "\r" not in line


def test_github_escaping_rules():
    assert github_data("50% off\r\nnext::line") == "50%25 off%0D%0Anext::line"
    assert github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_appends_markdown_to_the_step_summary(report, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    output = parse_output("github")
    sides = output.reporter.side_outputs(report, RenderOptions(environ={"GITHUB_STEP_SUMMARY": str(summary)}))
    assert len(sides) == 1 and sides[0].append
    assert sides[0].text == render(report, "markdown")
    assert output.reporter.side_outputs(report, RenderOptions(environ={})) == []


def test_cli_github_writes_step_summary(cli, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "github")
    assert result.code == 1
    assert result.out.startswith("::error file=")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ❌ policycheck: 1 error, 1 warning")


# -- user templates -----------------------------------------------------------------------------

def test_user_template_gets_the_documented_context(cli, tmp_path):
    template = tmp_path / "brief.md.j2"
    template.write_text(
        "{{ summary.documents }} contracts\n"
        "{% for d in documents %}{% for f in d.findings %}{{ f.rule }} {{ f.severity }} "
        "{{ f.evidence[0].text if f.evidence else '-' }}\n{% endfor %}{% endfor %}", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "--template", template)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "1 contracts"
    assert lines[1].startswith("design-card.require-arbitration\\_venue-") and \
        lines[1].endswith(" error seat of arbitration shall be New York")


def test_user_template_escapes_by_file_kind(report, tmp_path):
    for name, expected in [("r.html.j2", "&lt;script&gt;"), ("r.md", "&lt;script&gt;"), ("r.txt.j2", "<script>")]:
        path = tmp_path / name
        path.write_text("{{ documents[0].findings[0].evidence[0].after }}", encoding="utf-8")
        assert expected in UserTemplateReporter(str(path)).render(report, RenderOptions()), name


@pytest.mark.parametrize("source, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "template not allowed"),
    ("{{ documents.append(1) }}", "template not allowed"),
    ("{{ no_such_thing }}", "'no_such_thing' is undefined"),
    ("{% for x in %}", "template syntax error"),
])
def test_user_template_errors_exit_2_without_traceback(cli, tmp_path, source, message):
    template = tmp_path / "bad.j2"
    template.write_text("line one\n" + source + "\n", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "--template", template)
    assert result.code == 2, result
    assert message in result.err
    assert f"{template}:2" in result.err
    assert "Traceback" not in result.err


def test_missing_template_exit_2(cli, tmp_path):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "--template", tmp_path / "none.j2")
    assert result.code == 2 and "cannot read template" in result.err


# -- destinations -------------------------------------------------------------------------------

def test_several_outputs_in_one_run(cli, tmp_path):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "text",
                 "-f", f"json:{tmp_path}/r.json", "-f", f"html:{tmp_path}/r.html", "-f", f"junit:{tmp_path}/r.xml")
    assert result.code == 1
    assert "Result: failed" in result.out
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["schema"] == REPORT_SCHEMA
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ET.parse(tmp_path / "r.xml")


def test_two_outputs_on_stdout_are_refused(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "text", "-f", "json")
    assert result.code == 2 and "only one output can go to standard output" in result.err


@pytest.mark.parametrize("specs, message", [
    (["json:a.json", "sarif:a.json"], "is the destination of two outputs"),
    (["json:"], "names no file after the colon"),
])
def test_bad_destinations(specs, message):
    with pytest.raises(UsageError, match=message):
        check_outputs([parse_output(spec) for spec in specs])


def test_quiet_writes_files_but_not_stdout(cli, tmp_path):
    result = cli("run", "-q", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", f"json:{tmp_path}/r.json")
    assert result.code == 1 and result.out == "" and (tmp_path / "r.json").is_file()


def test_unwritable_destination_exit_2(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", f"json:{blocker}/r.json")
    assert result.code == 2 and "cannot write" in result.err and "Traceback" not in result.err


# -- determinism --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["text", "markdown", "html", "json", "sarif", "junit", "github"])
def test_byte_identical_on_a_second_run(cli, tmp_path, name):
    outputs = []
    for attempt in range(2):
        path = tmp_path / f"{attempt}.out"
        cli("run", POLICIES / "design-card.policy", EXAMPLES / "contracts", "-f", f"{name}:{path}")
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 100


def test_sample_report_is_stable_across_builds(tmp_path):
    renders = []
    for attempt in ("a", "b"):
        (tmp_path / attempt).mkdir()
        report = sample_report(str(tmp_path / attempt))
        renders.append({name: render(report, name) for name in format_names()})
    assert renders[0] == renders[1]


# -- escaping functions and progress ----------------------------------------------------------

@pytest.mark.parametrize("url, safe", [
    ("https://wiki.example.com/a#b", True), ("http://x.example", True), ("javascript:alert(1)", False),
    ("JAVASCRIPT:alert(1)", False), ("data:text/html,<b>", False), ("//evil.example", False),
    ("https://a.example/x y", False), ("vbscript:x", False), (None, False),
])
def test_safe_url(url, safe):
    assert (safe_url(url) is not None) is safe


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_only_for_long_runs():
    ticks = iter([0.0] + [0.2 * n for n in range(1, 100)])
    stream = _FakeTerminal()
    progress = Progress(stream, clock=lambda: next(ticks))
    assert list(progress.track(range(10))) == list(range(10))
    written = stream.getvalue()
    assert "checked 3 contracts..." in written
    assert "checked 1 contract..." not in written           # nothing before the delay
    assert written.endswith("\r\x1b[K")                      # erased at the end


def test_progress_silent_when_not_a_terminal():
    stream = io.StringIO()
    ticks = iter(float(n) for n in range(100))
    assert list(Progress(stream, clock=lambda: next(ticks)).track(range(10))) == list(range(10))
    assert stream.getvalue() == ""


# -- waivers from the workflow stage, in every format -------------------------------------------

def test_every_format_shows_a_waiver_written_with_only_a_reason(cli, tmp_path):
    import shutil
    shutil.copy(POLICIES / "design-card.policy", tmp_path / "design-card.policy")
    shutil.copy(EN_EXAMPLE, tmp_path / "terms.txt")
    (tmp_path / "waivers.yaml").write_text(
        "- rule: design-card.require-arbitration_venue-*\n"
        "  contract: terms.txt\n"
        "  reason: \"Signed before the playbook | renegotiate <2027>\"\n", encoding="utf-8")
    args = ["run", "design-card.policy", "terms.txt", "--waivers", "waivers.yaml"]
    outputs = {name: tmp_path / f"out.{name}" for name in format_names()}
    result = cli(*args, *[arg for name, path in outputs.items() for arg in ("-f", f"{name}:{path}")],
                 cwd=tmp_path)
    assert result.code == 0, result                   # the error is waived; a warning does not fail
    text = {name: path.read_text(encoding="utf-8") for name, path in outputs.items()}
    assert "waived: Signed before the playbook | renegotiate <2027>" in text["text"]
    assert r"waived: Signed before the playbook \| renegotiate &lt;2027&gt;" in text["markdown"]
    assert "Waived: Signed before the playbook | renegotiate &lt;2027&gt;" in text["html"]
    sarif = json.loads(text["sarif"])["runs"][0]["results"]
    assert [r["suppressions"][0]["justification"] for r in sarif if "suppressions" in r] == [
        "Signed before the playbook | renegotiate <2027>"]
    assert 'skipped message="waived: Signed before the playbook | renegotiate &lt;2027&gt;"' in text["junit"]
    assert text["github"].splitlines()[1].startswith("::notice file=terms.txt,line=17")
    jsonschema.validate(json.loads(text["json"]), report_schema(), cls=jsonschema.Draft202012Validator)


def test_colour_on_a_terminal_unless_no_color(cli, monkeypatch):
    import policycheck.cli.common as common

    class Terminal:
        def isatty(self) -> bool:
            return True

    real_use_color = common.use_color
    monkeypatch.setattr("policycheck.cli.run_cmd.use_color",
                        lambda no_color, stream=None: real_use_color(no_color, Terminal()))
    monkeypatch.delenv("NO_COLOR", raising=False)
    args = ("run", POLICIES / "design-card.policy", EN_EXAMPLE)
    coloured = cli(*args).out
    assert "\x1b[31merror  \x1b[0m" in coloured
    assert "\x1b[" not in cli(*args, "--no-color").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli(*args).out
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in cli(*args, "-f", "markdown").out       # colour is for the text format only


# -- compact: one line per finding ------------------------------------------------------------------

_COMPACT_LINE = re.compile(r"^(?P<path>[^\n]+?)(?::(?P<line>\d+):(?P<column>\d+))?: "
                           r"(?P<severity>error|warning|info|note): (?P<message>.+) \[(?P<rule>[^\]]+)\]$")


def test_compact_every_finding_is_one_parsable_line(report):
    lines = render(report, "compact").splitlines()
    findings = [(document.path, finding) for document in report.documents
                for finding in ordered_findings(document.findings)]
    assert len(lines) == len(findings) + len(report.errors) + 1
    for line, (path, finding) in zip(lines, findings):
        match = _COMPACT_LINE.match(line)
        assert match, line
        assert match["path"] == path and match["rule"] == finding.rule
        if finding.evidence:
            assert (int(match["line"]), int(match["column"])) == (finding.evidence[0].line, finding.evidence[0].column)
        else:
            assert match["line"] is None
        quiet = finding.status == "waived" or finding.baselined
        assert match["severity"] == ("note" if quiet else finding.severity)
        assert finding.message in match["message"]
    assert lines[-2] == "contracts/broken.txt: error: could not read: not a text file (binary content)"
    assert lines[-1].startswith("Found 9 findings in 4 contracts: 3 errors, 5 warnings, 0 info, 1 waived;")


def test_compact_streams_the_same_text(report):
    stream_parts: list[str] = []
    stream = reporter("compact").stream(stream_parts.append, RenderOptions(), report.fail_on)
    for document in report.documents:
        stream.write(stream.render(document))
    streamed = RunReport(errors=report.errors, policy_set=report.policy_set, fail_on=report.fail_on)
    for document in report.documents:
        streamed.streamed.add(document, report.fail_on)
    stream.close(streamed)
    assert "".join(stream_parts) == render(report, "compact")


def test_cli_compact_on_the_example(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "compact")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{EN_EXAMPLE}:17:57: error: expected arbitration_venue in CN, found arbitration_venue = US-NY "
        "[design-card.require-arbitration_venue-4bf96b]")


def test_compact_folds_line_breaks_and_control_characters():
    from policycheck.report.compact import finding_line

    finding = {"severity": "error", "status": "failed", "baselined": False, "rule": "r",
               "message": "two\nlines \x1b[31mred", "evidence": []}
    assert finding_line("a.txt", finding) == "a.txt: error: two lines \ufffd[31mred [r]"


def test_compact_path_never_starts_a_workflow_command():
    from policycheck.report.compact import finding_line

    finding = {"severity": "error", "status": "failed", "baselined": False, "rule": "r", "message": "m", "evidence": []}
    assert finding_line("::error::x.txt", finding) == "./::error::x.txt: error: m [r]"


# -- links named by their target, charts ----------------------------------------------------------

@pytest.mark.parametrize("url, label", [
    ("https://eur-lex.europa.eu/eli/reg/2016/679/oj", "GDPR"),
    ("https://eur-lex.europa.eu/eli/reg/2016/679/art_28/oj", "GDPR Art. 28"),
    ("https://eur-lex.europa.eu/eli/dir/1993/13/oj", "Directive 93/13/EEC"),
    ("https://eur-lex.europa.eu/eli/reg/2019/1150/oj", "Regulation 2019/1150"),
    ("https://gdpr-info.eu/art-28-gdpr/", "GDPR Art. 28"),
    ("https://www.gov.cn/xinwen/2020-06/01/content_5516649.htm", "gov.cn"),
    ("https://playbook.example.com/disputes#seat", "playbook.example.com"),
    ("javascript:alert(1)", None),
    (None, None),
])
def test_link_label(url, label):
    from policycheck.report.links import link_label

    assert link_label(url) == label


def test_chart_labels_are_escaped():
    from policycheck.report.svg import Bar, bar_chart

    svg = str(bar_chart("a <b> chart", [Bar("<script>x</script>", 3), Bar("plain", 0, "muted")]))
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    assert 'aria-label="a &lt;b&gt; chart"' in svg and svg.count("<rect ") == 2


def test_html_names_links_by_their_target(report):
    html = render(report, "html")
    assert '<a href="https://playbook.example.com/disputes#seat" rel="noopener noreferrer">playbook.example.com</a>' in html
    assert "policy guide" not in html


# -- markdown within the comment limit, whatever fills it -------------------------------------------

def test_markdown_keeps_within_the_limit_with_thousands_of_unreadable_contracts():
    from policycheck.findings.model import InputError
    from policycheck.report.fitting import GITHUB_COMMENT_LIMIT

    report = RunReport(errors=[InputError(f"contracts/broken-{number:05d}.txt", "is empty") for number in range(5000)])
    markdown = render(report, "markdown")
    assert len(markdown) <= GITHUB_COMMENT_LIMIT
    listed = markdown.count("\n- contracts/broken-")
    assert 500 < listed < 5000
    assert f"- and {5000 - listed} more" in markdown
    assert f"{5000 - listed} unreadable contracts" in markdown


def test_html_severity_filters_hide_a_clause_once_all_its_findings_are_hidden(report):
    html = render(report, "html")
    for tones in set(re.findall(r'class="clause \w+ t-([\w-]+)"', html)):
        kinds = tones.split("-")
        rule = "".join(f"#show-{kind}:not(:checked)~" for kind in kinds) + f"main .clause.t-{tones}{{display:none}}"
        assert rule in html, rule
    assert 'class="clause warning t-warning-waived"' in html      # the clause of a waived and a warning finding
