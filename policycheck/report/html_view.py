"""What the HTML report adds to the template context: the portfolio overview, findings grouped by
clause, and the contract text with every finding's clause highlighted in place.

Everything here is computed from the context (plain data) and, for the contract view, from the
contract's text read again from its file. Text that cannot be read again (a ``--facts`` document,
standard input, a file that is gone or changed since it was checked) has no view; the report
says so and keeps the quotes with their context, which the findings carry themselves.
"""

from __future__ import annotations

import os
from typing import Callable

from markupsafe import Markup, escape

from policycheck.errors import PolicycheckError
from policycheck.report.svg import Bar, bar_chart

# The key facts whose spread over a portfolio a reviewer looks at first: (chart title, facts).
KEY_FACTS = (
    ("Governing law", ("governing_law",)),
    ("Data deleted after the end", ("data_deletion_after",)),
    ("Data retention", ("data_retention_period",)),
    ("Uptime commitment", ("uptime_commitment",)),
    ("Liability cap", ("liability_cap_amount", "liability_cap_fee_period")),
)
# How a value of these facts reads on its own in a chart.
_VALUE_LABELS = {"liability_cap_fee_period": "fees of {}"}
MOST_BARS = 10
# A contract view is a copy of the contract in the page; past this size the page would be
# more contract than report, and the quotes with their sentences are shown instead.
MAX_VIEW_CHARACTERS = 400_000
SEVERITY_TONES = ("error", "warning", "info")
# The page's severity filters (one checkbox each): a clause is hidden when every kind of finding
# it holds is filtered out, so each set of kinds gets one CSS rule.
FILTER_TONES = SEVERITY_TONES + ("waived",)
TONE_SETS = [[tone for bit, tone in enumerate(FILTER_TONES) if mask >> bit & 1]
             for mask in range(1, 1 << len(FILTER_TONES))]


# --- findings grouped by clause ---------------------------------------------------------------

def _bounds(span: dict) -> tuple:
    """(file, start, end) of a span, start and end as (line, column); the file tells a value in a
    facts file from the contract, and an office file's page or paragraph from another."""
    return (f"{span.get('file')}|{span.get('page')}|{span.get('paragraph')}",
            (span["line"], span["column"]), (span["end_line"], span["end_column"]))


def _tone(findings: list[dict]) -> str:
    active = [finding for finding in findings if finding["status"] != "waived"]
    for severity in SEVERITY_TONES:
        if any(finding["severity"] == severity for finding in active):
            return severity
    return "waived"


def _linked(findings: list[dict]) -> list[int]:
    """For each finding, the index of the first finding it shares a quoted clause with, directly
    or through others (findings quoting overlapping text belong together)."""
    parent = list(range(len(findings)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    spans = sorted((_bounds(span), index) for index, finding in enumerate(findings) for span in finding["evidence"])
    reach, holder = None, None                         # the furthest end so far in this file, and whose
    for (file, start, end), index in spans:
        if reach is not None and reach[0] == file and start <= reach[1]:
            first, second = root(index), root(holder)
            parent[max(first, second)] = min(first, second)
            if end > reach[1]:
                reach = (file, end)
        else:
            reach, holder = (file, end), index
    return [root(index) for index in range(len(findings))]


def clauses(document: dict, prefix: str) -> list[dict]:
    """The document's findings grouped by the clauses they quote: one clause, all the rules it
    breaks (findings whose quotes overlap are together, and so are findings linked through
    another one, such as the two language versions a conflict quotes). Findings without a quote
    (a clause that is missing) form one group of their own. Groups come in the order of their
    most severe finding (findings are ordered already); a group's clause is its first finding's
    first quote, the other quotes are shown once, with the first finding that has them."""
    findings = document["findings"]
    links = _linked(findings)
    groups: list[dict] = []
    by_key: dict = {}
    for index, finding in enumerate(findings):
        key = links[index] if finding["evidence"] else "missing"
        group = by_key.get(key)
        if group is None:
            span = finding["evidence"][0] if finding["evidence"] else None
            group = by_key[key] = {"id": f"{prefix}-k{len(groups) + 1}", "span": span, "findings": []}
            groups.append(group)
        group["findings"].append(finding)
    for group in groups:
        # A further quote is shown once per clause: rules that break the same pair of clauses
        # (two language versions that disagree) quote the second one too.
        shown = {_bounds(group["span"])} if group["span"] else set()
        group["extra_spans"] = []
        for finding in group["findings"]:
            extra = [span for span in finding["evidence"] if _bounds(span) not in shown]
            shown.update(_bounds(span) for span in extra)
            group["extra_spans"].append(extra)
        group["tone"] = _tone(group["findings"])
        present = {"waived" if finding["status"] == "waived" else finding["severity"] for finding in group["findings"]}
        group["tones"] = "t-" + "-".join(tone for tone in FILTER_TONES if tone in present)
        group["rules"] = [finding["rule"] for finding in group["findings"]]
    return groups


# --- the contract text with the clauses highlighted --------------------------------------------

def read_contract_text(path: str) -> str | None:
    """The text whose lines and columns a contract's evidence counts, read again from its file."""
    from policycheck.document.decode import decode, normalise_newlines
    from policycheck.document.load import OFFICE_SUFFIXES, read_bytes

    if path in ("-", "") or not os.path.isfile(path):
        return None
    try:
        if path.lower().endswith(OFFICE_SUFFIXES):
            from policycheck.document.office import load_office

            return load_office(path, path).text
        text, _ = decode(read_bytes(path, path), path)
    except (PolicycheckError, OSError, ValueError):
        return None
    text = normalise_newlines(text)
    return text[1:] if text.startswith("\ufeff") else text


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offsets(span: dict, starts: list[int], size: int) -> tuple[int, int] | None:
    if not (1 <= span["line"] <= len(starts) and 1 <= span["end_line"] <= len(starts)):
        return None
    start = starts[span["line"] - 1] + span["column"] - 1
    end = starts[span["end_line"] - 1] + span["end_column"]          # end column is inclusive
    return (start, end) if 0 <= start < end <= size else None


def _same_words(raw: str, quote: str) -> bool:
    """The quote is the raw text with white space folded (and Chinese line wraps joined)."""
    return "".join(raw.split()) == "".join(quote.split())


def text_view(text: str, groups: list[dict], prefix: str) -> Markup | None:
    """The contract as numbered lines, each quoted clause in a <mark> that links to its group,
    and an anchor where each group's clause starts. None when a quote is not where its
    position says (the file changed since it was checked) or the text is too large."""
    if len(text) > MAX_VIEW_CHARACTERS:
        return None
    starts = _line_starts(text)
    if len(starts) > 1 and starts[-1] == len(text):
        starts.pop()                                   # the final line break opens no line
    marks: list[tuple[int, int, str, str]] = []        # start, end, group id, tone
    anchors: dict[int, list[str]] = {}
    for group in groups:
        first = True
        for finding in group["findings"]:
            for span in finding["evidence"]:
                if span.get("facts_file"):
                    continue
                offsets = _offsets(span, starts, len(text))
                if offsets is None or not _same_words(text[offsets[0]:offsets[1]], span["text"]):
                    return None
                marks.append((offsets[0], offsets[1], group["id"], group["tone"]))
                if first:
                    anchors.setdefault(offsets[0], []).append(f"{group['id']}-at")
                    first = False
    cuts = sorted({0, len(text), *starts, *(m[0] for m in marks), *(m[1] for m in marks), *anchors})
    rank = {tone: index for index, tone in enumerate(SEVERITY_TONES + ("waived",))}
    out: list[str] = []
    line = 0
    for left, right in zip(cuts, cuts[1:] + [len(text)]):
        if line < len(starts) and left == starts[line]:
            if line:
                out.append("</span>")            # each line is a block: no line break between them
            line += 1
            out.append(f'<span class="ln" id="{prefix}-L{line}"><span class="no" aria-hidden="true">{line}</span>')
        for anchor in anchors.get(left, ()):
            out.append(f'<span class="anchor" id="{anchor}"></span>')
        if right <= left:
            continue
        piece = text[left:right].rstrip("\n") if text[left:right].endswith("\n") else text[left:right]
        covering = [mark for mark in marks if mark[0] <= left and right <= mark[1]]
        if covering and piece:
            ids = sorted({mark[2] for mark in covering}, key=lambda ident: int(ident.rsplit("k", 1)[1]))
            tone = min((mark[3] for mark in covering), key=rank.__getitem__)
            out.append(f'<a class="hl {tone}" href="#{ids[0]}" data-groups="{" ".join(ids)}"><mark>'
                       f'{escape(piece)}</mark></a>')
        else:
            out.append(str(escape(piece)))
    if line:
        out.append("</span>")
    return Markup("".join(out))


# --- the portfolio overview ---------------------------------------------------------------------

def _value_order(fact: dict):
    """Values of one fact in their natural order (durations by length, percents by size)."""
    from policycheck.values.literals import parse_literal

    try:
        value = parse_literal(fact["type"], str(fact["value"]))
    except (ValueError, TypeError):
        return (1, 0, str(fact["shown"]))
    for attribute in ("days", "value", "amount"):
        number = getattr(value, attribute, None)
        if callable(number):
            number = number()
        if isinstance(number, (int, float)) or hasattr(number, "__float__"):
            try:
                return (0, float(number), str(fact["shown"]))
            except (TypeError, ValueError):
                break
    return (1, 0, str(fact["shown"]))


def _fact_chart(title: str, names: tuple[str, ...], documents: list[dict]) -> dict:
    contracts: dict[str, set[int]] = {}
    order: dict[str, tuple] = {}
    missing = 0
    for index, document in enumerate(documents):
        found = False
        for fact in document["facts"]:
            if fact["name"] in names:
                label = _VALUE_LABELS.get(fact["name"], "{}").format(fact["shown"])
                contracts.setdefault(label, set()).add(index)
                order.setdefault(label, (names.index(fact["name"]),) + _value_order(fact))
                found = True
        missing += not found
    labels = sorted(contracts, key=lambda label: order[label])
    if len(labels) > MOST_BARS:                       # the most common values, then the rest together
        common = sorted(labels, key=lambda label: (-len(contracts[label]), order[label]))[:MOST_BARS - 1]
        rest = [label for label in labels if label not in common]
        labels = [label for label in labels if label in common]
        bars = [Bar(label, len(contracts[label])) for label in labels]
        bars.append(Bar(f"{len(rest)} other values", len(set().union(*(contracts[label] for label in rest))),
                        "muted", ", ".join(rest)))
    else:
        bars = [Bar(label, len(contracts[label])) for label in labels]
    bars.append(Bar("not found", missing, "muted"))
    return {"title": title, "chart": bar_chart(title, bars), "found": len(documents) - missing,
            "missing": missing, "values": {label: len(indexes) for label, indexes in contracts.items()}}


def _rule_rows(context: dict) -> list[dict]:
    titles = {rule["id"]: rule for rule in context["rules"]}
    rows: dict[str, dict] = {}
    for document in context["documents"]:
        seen = set()
        for finding in document["findings"]:
            row = rows.setdefault(finding["rule"], {
                "id": finding["rule"], "title": finding["title"] or titles.get(finding["rule"], {}).get("title"),
                "severity": finding["severity"], "counts": {"error": 0, "warning": 0, "info": 0, "waived": 0},
                "total": 0, "contracts": 0})
            row["counts"]["waived" if finding["status"] == "waived" else finding["severity"]] += 1
            row["total"] += 1
            if finding["rule"] not in seen:
                seen.add(finding["rule"])
                row["contracts"] += 1
    rank = context["severity_rank"]
    return sorted(rows.values(), key=lambda row: (-row["total"], -rank[row["severity"]], row["id"]))


def portfolio(context: dict) -> dict:
    """The overview of a run over many contracts: counts, charts, the rules that fire most."""
    summary = context["summary"]
    severity_bars = [Bar(severity, summary["by_severity"][severity], severity) for severity in SEVERITY_TONES]
    severity_bars.append(Bar("waived", summary["by_status"]["waived"], "waived"))
    rules = _rule_rows(context)
    rule_bars = [Bar(row["title"] or row["id"], row["total"], row["severity"], f"{row['title'] or row['id']} ({row['id']})")
                 for row in rules[:12]]
    contracts = []
    for index, document in enumerate(context["documents"], start=1):
        facts = {}
        for title, names in KEY_FACTS:
            values = []
            for fact in document["facts"]:
                if fact["name"] in names:
                    label = _VALUE_LABELS.get(fact["name"], "{}").format(fact["shown"])
                    if label not in values:
                        values.append(label)
            facts[title] = ", ".join(values)
        contracts.append({"index": index, "path": document["path"], "languages": document["languages"],
                          "counts": document["counts"], "total": len(document["findings"]), "facts": facts})
    with_findings = sum(1 for document in context["documents"] if document["findings"])
    return {
        "severity_chart": bar_chart("Findings by severity", severity_bars),
        "rules": rules,
        "rule_chart": bar_chart("Rules with the most findings", rule_bars, label_width=330, label_limit=46)
        if rule_bars else None,
        "fact_charts": [_fact_chart(title, names, context["documents"]) for title, names in KEY_FACTS],
        "key_facts": [title for title, _ in KEY_FACTS],
        "contracts": contracts,
        "with_findings": with_findings,
    }


def add_html_views(context: dict, read_text: Callable[[str], str | None] = read_contract_text) -> dict:
    """The context of the HTML report: the overview and, per document, clauses and text view."""
    for index, document in enumerate(context["documents"], start=1):
        prefix = f"c{index}"
        document["anchor"] = f"contract-{index}"
        document["clauses"] = clauses(document, prefix)
        quoted = any(finding["evidence"] for finding in document["findings"])
        text = read_text(document["path"]) if quoted else None
        document["text_view"] = text_view(text, document["clauses"], prefix) if text is not None else None
        document["office"] = any(key in span for finding in document["findings"]
                                 for span in finding["evidence"] for key in ("page", "paragraph"))
    context["portfolio"] = portfolio(context) if len(context["documents"]) > 1 else None
    context["tone_sets"] = TONE_SETS
    return context
