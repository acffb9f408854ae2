"""``policycheck facts``: the clause facts found in contracts, or the catalogue."""

from __future__ import annotations

import json
import traceback

import click
import yaml

from policycheck.cli.common import echo_err, write_output
from policycheck.config import check_extractor_files
from policycheck.document.discover import discover
from policycheck.workflow.selection import unsupported_format
from policycheck.errors import PolicycheckError, debugging, internal_error_message
from policycheck.facts.engine import extractor
from policycheck.pipeline import extract_path
from policycheck.report import jsonlayout

FACTS_SCHEMA = "policycheck/facts/v1"


def _catalogue_text(catalogue) -> str:
    lines = []
    width = max(len(name) for name in catalogue.names())
    for name in catalogue.names():
        spec = catalogue.get(name)
        kind = spec.type + (f" ({', '.join(spec.values)})" if spec.values else "")
        lines.append(f"{name:<{width}}  {kind}\n{'':<{width}}  {spec.description}")
    return "\n".join(lines) + "\n"


def _catalogue_data(catalogue) -> list[dict]:
    return [{"name": spec.name, "type": spec.type, "values": list(spec.values), "description": spec.description,
             "examples": list(spec.examples)} for spec in (catalogue.get(n) for n in catalogue.names())]


_QUOTE_WIDTH = 90


def _shown_value(fact: dict) -> str:
    qualifier_range = fact["qualifiers"].get("range")
    if qualifier_range:
        return f"{qualifier_range['low']}..{qualifier_range['high']}"
    value = fact["value"]
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _position(evidence: dict) -> str:
    where = "".join(f" ({key} {evidence[key]})" for key in ("page", "paragraph") if key in evidence)
    return f"{evidence['line']}:{evidence['column']}{where}"


def _quote(text: str) -> str:
    return f'"{text}"' if len(text) <= _QUOTE_WIDTH else f'"{text[:_QUOTE_WIDTH - 3]}..."'


def _text(documents: list[dict]) -> str:
    """One table per document: fact, value, language, line:column, quoted evidence, and the
    qualifiers (place, anchor, party, comparator) on the line below when there are any."""
    out = []
    for document in documents:
        languages = ", ".join(document["languages"])
        out.append(f"{document['path']} ({languages})" if languages else document["path"])
        facts = document["facts"]
        if not facts:
            out.extend(["  no facts found", *_unread_lines(document["unread"]),
                        *_unread_text_lines(document["unread_text"]), ""])
            continue
        rows = [(f["name"], _shown_value(f), f["language"], _position(f["evidence"]), _quote(f["evidence"]["text"]),
                 ", ".join(f"{k}={v}" for k, v in f["qualifiers"].items() if k != "range")) for f in facts]
        header = ("FACT", "VALUE", "LANG", "LINE:COL", "EVIDENCE")
        widths = [max(len(header[c]), *(len(r[c]) for r in rows)) for c in range(4)]
        indent = "  " + " " * (sum(widths) + 2 * 4)

        def line(cells):
            return "  " + "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(cells[:4])) + "  " + cells[4]

        out.append(line(header))
        for row in rows:
            out.append(line(row))
            if row[5]:
                out.append(f"{indent}[{row[5]}]")
        out.extend(_unread_lines(document["unread"]))
        out.extend(_unread_text_lines(document["unread_text"]))
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def _unread_lines(unread: list[dict]) -> list[str]:
    """The clauses about a fact whose value could not be read, under the facts of a document."""
    if not unread:
        return []
    lines = ["  unread: a clause about the fact was found but no value could be read from it"]
    width = max(len(clause["name"]) for clause in unread)
    where = max(len(_position(clause["evidence"])) for clause in unread)
    for clause in unread:
        lines.append(f"  {clause['name']:<{width}}  {clause['language']}  {_position(clause['evidence']):<{where}}  "
                     f"{_quote(clause['evidence']['text'])}")
    return lines


def _unread_text_lines(unread_text: list[dict]) -> list[str]:
    """The text in a language policycheck does not read: it may state any fact."""
    if not unread_text:
        return []
    lines = ["  unread text: not English or Chinese, so not read; it may state any fact"]
    where = max(len(_position(text["evidence"])) for text in unread_text)
    for text in unread_text:
        lines.append(f"  {_position(text['evidence']):<{where}}  {_SCRIPTS[text['script']]}  "
                     f"{_quote(text['evidence']['text'])}")
    return lines


_SCRIPTS = {"latin": "Latin letters", "other": "other script"}


@click.command("facts")
@click.argument("contracts", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "yaml"]), default="text",
              show_default=True, help="Output format; json is policycheck/facts/v1.")
@click.option("--list", "list_catalogue", is_flag=True, help="Print the fact catalogue instead.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--extractors", "extractor_paths", multiple=True, type=click.Path(exists=True),
              help="Extra fact definitions and extraction rules (YAML file or directory; repeatable). "
                   "See docs/extractors.md.")
def command(contracts: tuple[str, ...], output_format: str, list_catalogue: bool, output: str | None,
            extractor_paths: tuple[str, ...]) -> int:
    """Print the clause facts extracted from CONTRACTS (files or directories).

    Each fact shows its typed value, the language of the text it came from, and its evidence:
    line, column and the quoted text. Exit 2 when a contract cannot be read (the others are
    still printed).

    Text is a table per contract (fact, value, language, line:column, quoted evidence, then the
    qualifiers); json is policycheck/facts/v1; yaml is the same data as YAML.
    """
    for extractor_path in extractor_paths:
        check_extractor_files(extractor_path)        # no pipe or /dev/zero among them
    engine = extractor(tuple(extractor_paths))
    if list_catalogue:
        catalogue = engine.catalogue
        if output_format == "text":
            write_output(_catalogue_text(catalogue), output)
        else:
            data = {"schema": "policycheck/catalogue/v1", "facts": _catalogue_data(catalogue)}
            write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n" if output_format == "json"
                         else yaml.safe_dump(data, allow_unicode=True, sort_keys=False), output, output_format)
        return 0
    if not contracts:
        raise click.UsageError("give at least one contract (file or directory), or --list")
    documents, errors = [], []
    for item in discover(list(contracts)):
        problem = item.problem or unsupported_format(item.path)   # never read a .doc or .rtf as text
        if problem:
            errors.append({"path": item.path, "message": problem})
            continue
        try:
            result = extract_path(item.path, engine)
        except PolicycheckError as exc:
            errors.append({"path": item.path, "message": exc.message})
            continue
        except Exception as exc:  # noqa: BLE001 - a bug met in one contract must not lose the others
            if debugging():
                traceback.print_exc()
            errors.append({"path": item.path, "message": internal_error_message(exc)})
            continue
        documents.append(result.as_dict())
    data = {"schema": FACTS_SCHEMA, "documents": documents}
    if output_format == "json":
        if errors:
            data["errors"] = errors
        write_output(jsonlayout.dumps(data, expand=("documents",)) + "\n", output, "json")
    elif output_format == "yaml":
        if errors:
            data["errors"] = errors
        write_output(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), output, "yaml")
    else:
        write_output(_text(documents), output)
    for error in errors:
        echo_err(f"policycheck: {error['path']}: {error['message']}")
    return 2 if errors else 0
