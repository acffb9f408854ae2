"""How often silence is honest: gold facts read or flagged unread, and false unread flags.

    python bench/unread_coverage.py CORPUS_DIR [CORPUS_DIR ...] [--facts] [--misses N] [--false N]
                                    [--clauses [N]] [--errata PATH] [--json]

CORPUS_DIR holds ``gold.jsonl`` (one contract a line: ``{"file": path relative to the corpus,
"gold": {fact: expectation}}``) and the files it names (see bench/corpus_split.py for the
work / kept-aside parts). An expectation is a value written as a policy literal ("US-NY", "1y",
true), ``{"any_of": [...]}``, ``"present"`` (some value), ``null`` or ``"absent"`` (no value), or
``{"not": v}``; a key ``a|b`` is met by either fact.

Two figures per corpus (issue "no silent misses"):

- coverage: of the gold expectations that a value be found (a value, any_of, present), the share
  where policycheck read a right value or flagged the fact unread (a clause about it whose value
  could not be read, or text in a language policycheck does not read, which may state any fact
  and so flags every fact of no value). Goal: at least 0.97.
- false unread: of the contracts whose gold says some fact is absent, the share with an unread
  flag for such a fact (an unread clause of it, or text in a language not read). Goal: at most
  0.10. (The share of such (contract, fact) pairs is printed too.)

Beside the coverage (the headline), a second figure sets aside the gold expectations found by
hand not to hold (bench/label_errata.yaml, or ``--errata PATH``: the file named does not state
the fact in any words; each entry gives its reason). It says how far the reading falls short of
what the texts say, apart from what their labels say; the plain figure is the one the goal is
measured by.

With ``--clauses``, a third figure where the gold quotes the clauses it rests on (a row's
``cuad_clauses``: fact -> the clause texts its annotators quoted): topic recall, the share of those
clauses the topic reading finds to be about their fact, each read alone, whatever extraction makes
of it (N of the clauses it misses are listed). It tells how far the topic vocabulary reaches into
the ways real contracts say a thing, apart from how often extraction already reads them.

Values compare as the policy language compares them: durations in days (within 2%), percents,
numbers and booleans by value, anything else by its upper-cased text. Extraction runs in this
process, as ``policycheck facts`` would run it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from policycheck.document import load_document
from policycheck.document.load import document_from_text
from policycheck.errors import PolicycheckError
from policycheck.facts.engine import extractor
from policycheck.facts.topics import topic_reader
from policycheck.pipeline import read_document
from policycheck.values.types import literal_of
from policycheck.yamlload import YAMLError, safe_load

ERRATA = Path(__file__).with_name("label_errata.yaml")

_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "mo": 30, "y": 365, "bd": 7 / 5}
# Gold keys whose value policycheck may state under a second fact: a fixed cap is a limitation too.
_ALSO = {"limitation_of_liability": ("liability_cap",)}
# Gold keys that count only a true value (a "false" reading states the fact is absent).
_TRUE_ONLY = frozenset({"limitation_of_liability", "termination_for_convenience"})


def comparable(value) -> tuple:
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    text = str(value).strip()
    if text.lower() in ("true", "false"):
        return ("bool", text.lower() == "true")
    duration = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|d|w|mo|y|bd)", text)
    if duration:
        return ("days", float(duration.group(1)) * _DAYS[duration.group(2)])
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    if percent:
        return ("percent", float(percent.group(1)))
    return ("text", text.upper())


def same(found, expected) -> bool:
    a, b = comparable(found), comparable(expected)
    if a[0] == b[0] == "days":
        return abs(a[1] - b[1]) <= max(1.0, 0.02 * b[1])
    return a == b


def wants_value(expectation) -> bool:
    if expectation is None or expectation == "absent":
        return False
    return not (isinstance(expectation, dict) and "not" in expectation)


def says_absent(expectation) -> bool:
    return expectation is None or expectation == "absent"


def names_of(key: str) -> list[str]:
    names = key.split("|")
    for name in list(names):
        names.extend(_ALSO.get(name, ()))
    return names


def read_right(key: str, expectation, values: list) -> bool:
    if key in _TRUE_ONLY:
        values = [v for v in values if same(v, True)]
    if expectation == "present":
        return bool(values)
    alternatives = expectation["any_of"] if isinstance(expectation, dict) else [expectation]
    return any(same(v, a) for v in values for a in alternatives)


class ErrataError(Exception):
    """The label errata file cannot be read: a message naming the file and the entry."""


def load_errata(path: Path) -> dict[str, set[tuple[str, str]]]:
    """corpus name -> the (file, gold key) pairs of the label errata file ``path``."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ErrataError(f"{path}: cannot be read ({exc.strerror})") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise ErrataError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ErrataError(f"{path}: expected corpus names, each with a list of errata")
    errata: dict[str, set[tuple[str, str]]] = {}
    for corpus, entries in data.items():
        if not isinstance(entries, list):
            raise ErrataError(f"{path}: {corpus}: expected a list of errata")
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) and entry[key].strip()
                                                      for key in ("file", "fact", "reason")):
                raise ErrataError(f"{path}: {corpus}: erratum {number} needs a file, a fact and a reason")
            errata.setdefault(str(corpus), set()).add((entry["file"], entry["fact"]))
    return errata


def errata_of(corpus: Path, errata: dict[str, set[tuple[str, str]]]) -> set[tuple[str, str]]:
    """The errata of the corpus folder ``corpus``: those of its name, or of the corpus it is a
    part of (NAME-work, NAME-heldout)."""
    name = corpus.resolve().name
    return {pair for key, pairs in errata.items() if name == key or name.startswith(key + "-") for pair in pairs}


def measure(corpus: Path, errata: set[tuple[str, str]] = frozenset()) -> dict:
    engine = extractor()
    rows = [json.loads(line) for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    per_fact: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses, false_flags = [], []
    set_aside = set_aside_covered = 0      # gold values among the label errata, and of those covered
    contracts_absent = contracts_flagged = pairs_absent = pairs_flagged = unreadable = 0
    for row in rows:
        try:
            document = load_document(str(corpus / row["file"]))
        except PolicycheckError:
            unreadable += 1      # an empty or undecodable file: no figure to take
            continue
        facts = read_document(document, engine)
        values = defaultdict(list)
        for fact in facts.facts:
            # A range counts by either end, as a policy sees it, and by its main value.
            values[fact.name].extend(literal_of(v) for v in [*fact.values(), fact.value])
        unread = facts.unread_by_name()
        any_absent = any_flagged = False
        for key, expectation in row["gold"].items():
            names = names_of(key)
            flagged = [clause for name in names for clause in unread.get(name, ())]
            if not flagged and facts.unread_text and not any(name in values for name in names):
                flagged = facts.unread_text
            counts = per_fact[key]
            if wants_value(expectation):
                counts["gold"] += 1
                found = [v for name in names for v in values.get(name, ())]
                erratum = (row["file"], key) in errata
                set_aside += erratum
                if read_right(key, expectation, found):
                    counts["read"] += 1
                    set_aside_covered += erratum
                elif flagged:
                    counts["unread"] += 1
                    set_aside_covered += erratum
                else:
                    misses.append((row["file"], key, expectation, found[:3], erratum))
            elif says_absent(expectation):
                counts["absent"] += 1
                pairs_absent += 1
                any_absent = True
                if flagged:
                    counts["false_unread"] += 1
                    pairs_flagged += 1
                    any_flagged = True
                    false_flags.append((row["file"], key, flagged[0]))
        contracts_absent += any_absent
        contracts_flagged += any_flagged
    gold = sum(c["gold"] for c in per_fact.values())
    covered = sum(c["read"] + c["unread"] for c in per_fact.values())
    checked_gold, checked_covered = gold - set_aside, covered - set_aside_covered
    return {
        "corpus": str(corpus), "contracts": len(rows) - unreadable, "unreadable": unreadable,
        "gold": gold, "read": sum(c["read"] for c in per_fact.values()),
        "flagged_unread": sum(c["unread"] for c in per_fact.values()),
        "coverage": covered / gold if gold else 1.0,
        # The same figure with the gold values the label errata file sets aside left out.
        "label_errata": set_aside,
        "coverage_without_label_errata": checked_covered / checked_gold if checked_gold else 1.0,
        "contracts_with_absent_fact": contracts_absent, "contracts_falsely_flagged": contracts_flagged,
        "false_unread": contracts_flagged / contracts_absent if contracts_absent else 0.0,
        "false_unread_pairs": pairs_flagged / pairs_absent if pairs_absent else 0.0,
        "facts": {key: dict(counts) for key, counts in sorted(per_fact.items())},
        "misses": misses, "false_flags": false_flags,
    }


# A gold row's quoted clauses, and the mark a corpus puts where it left words out of a quote.
QUOTED_CLAUSES = "cuad_clauses"
_OMITTED = "<omitted>"


def topic_recall(corpus: Path) -> dict:
    """fact -> {"quoted": n, "found": n, "missed": [clause texts]}: the gold's quoted clauses that
    the topic reading finds (or not) to be about their fact, each clause read on its own."""
    reader = topic_reader(extractor().book)
    recall: dict[str, dict] = {}
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for key, clauses in (json.loads(line).get(QUOTED_CLAUSES) or {}).items():
            counts = recall.setdefault(key, {"quoted": 0, "found": 0, "missed": []})
            for clause in clauses:
                text = clause.replace(_OMITTED, " ")
                counts["quoted"] += 1
                if reader.clauses_about(document_from_text(text, "clause.txt"), frozenset(names_of(key))):
                    counts["found"] += 1
                else:
                    counts["missed"].append(" ".join(text.split()))
    return recall


def _print_recall(corpus: Path, recall: dict, show_missed: int) -> None:
    quoted = sum(c["quoted"] for c in recall.values())
    found = sum(c["found"] for c in recall.values())
    print(f"  topic recall {found / quoted if quoted else 1.0:.3f}  ({found} of {quoted} quoted clauses found "
          f"about their fact)")
    for key, c in sorted(recall.items()):
        if c["quoted"]:
            print(f"    {key:44} {c['found']:5} of {c['quoted']:5}")
        for text in c["missed"][:show_missed]:
            print(f"    missed {key}: {text[:160]!r}")


def _print(result: dict, show_facts: bool, show_misses: int, show_false: int) -> None:
    skipped = f" ({result['unreadable']} files could not be read)" if result["unreadable"] else ""
    print(f"{result['corpus']}: {result['contracts']} contracts{skipped}")
    print(f"  coverage     {result['coverage']:.3f}  ({result['read']} read + {result['flagged_unread']} flagged "
          f"unread of {result['gold']} gold facts)")
    if result["label_errata"]:
        kept = result["gold"] - result["label_errata"]
        print(f"  coverage without label errata {result['coverage_without_label_errata']:.3f}  (of {kept} gold facts: "
              f"{result['label_errata']} checked by hand to be label errors set aside; the plain coverage above "
              f"is the measure)")
    print(f"  false unread {result['false_unread']:.3f}  ({result['contracts_falsely_flagged']} of "
          f"{result['contracts_with_absent_fact']} contracts with a fact gold says is absent; "
          f"{result['false_unread_pairs']:.3f} of such facts)")
    if show_facts:
        print(f"    {'fact':44} {'gold':>5} {'read':>5} {'unread':>6} {'absent':>6} {'false':>5}")
        for key, c in result["facts"].items():
            print(f"    {key:44} {c.get('gold', 0):5} {c.get('read', 0):5} {c.get('unread', 0):6} "
                  f"{c.get('absent', 0):6} {c.get('false_unread', 0):5}")
    for file, key, expectation, found, erratum in result["misses"][:show_misses]:
        note = "  (a label erratum)" if erratum else ""
        print(f"  miss  {key}: {file}: expected {expectation!r}, found {found}{note}")
    for file, key, clause in result["false_flags"][:show_false]:
        cues = getattr(clause, "cues", ("text in a language not read",))
        print(f"  false {key}: {file}:{clause.evidence.line} {cues} {clause.evidence.text[:140]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--facts", action="store_true", help="a line per gold fact")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="list N gold facts neither read nor flagged")
    parser.add_argument("--false", type=int, default=0, metavar="N", help="list N false unread flags")
    parser.add_argument("--clauses", type=int, nargs="?", const=0, default=None, metavar="N",
                        help="topic recall on the clauses the gold quotes (list N it misses)")
    parser.add_argument("--errata", type=Path, default=ERRATA, metavar="PATH",
                        help=f"gold values checked to be label errors (default: bench/{ERRATA.name})")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        errata = load_errata(args.errata)
    except ErrataError as exc:
        print(exc, file=sys.stderr)
        return 2
    results = []
    for corpus in args.corpora:
        if not (corpus / "gold.jsonl").is_file():
            print(f"{corpus}: no gold.jsonl", file=sys.stderr)
            return 2
        result = measure(corpus, errata_of(corpus, errata))
        if args.clauses is not None:
            result["topic_recall"] = topic_recall(corpus)
        results.append(result)
    if args.json:
        for result in results:
            result.pop("misses"), result.pop("false_flags")
            for counts in result.get("topic_recall", {}).values():
                counts.pop("missed")
        print(json.dumps(results, indent=1))
        return 0
    for result in results:
        _print(result, args.facts, args.misses, args.false)
        if "topic_recall" in result:
            _print_recall(Path(result["corpus"]), result["topic_recall"], args.clauses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
