"""Check that two versions of policycheck extract byte-identical facts.

    python bench/compare_facts.py OTHER_SOURCE_TREE PATH...

OTHER_SOURCE_TREE is a checkout of another version (for example ``git archive main | tar -x -C
/tmp/main``). Both versions run ``policycheck facts --format json`` over the same PATHs
(contracts or directories); the script prints how many documents and facts were compared and
the first documents whose facts differ, and exits 1 when any differ. A change meant only to
make extraction faster must leave this at zero differences.

With ``--unread``, the unread clauses (a clause about a fact none of whose values was read) are
compared too: how many each version flags per fact, and, in the first N differing documents
(``--show N``), the flags only one version has. A change to the topic vocabulary is read this way.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def tree_environment(source_tree: Path) -> dict:
    """The environment in which ``python -m policycheck``, started in ``source_tree``, runs that
    tree's version; exits when policycheck would be imported from elsewhere. (``python -m``
    puts the working directory first on the import path: run in the tree itself, or a run
    started from another checkout would import that checkout instead.)"""
    environment = dict(os.environ, PYTHONPATH=str(source_tree))
    imported = subprocess.run([sys.executable, "-c", "import policycheck; print(policycheck.__file__)"],
                              env=environment, cwd=source_tree, capture_output=True, text=True, check=False)
    if not imported.stdout.strip().startswith(str(source_tree)):
        sys.exit(f"policycheck is not imported from {source_tree} but from {imported.stdout.strip() or '?'}")
    return environment


def facts_json(source_tree: Path, paths: list[str]) -> bytes:
    environment = tree_environment(source_tree)
    done = subprocess.run([sys.executable, "-m", "policycheck", "facts", "--format", "json",
                           *(str(Path(path).resolve()) for path in paths)],
                          env=environment, cwd=source_tree, capture_output=True, check=False)
    if done.returncode not in (0, 2):
        sys.exit(f"policycheck from {source_tree} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def _shown(fact: dict) -> str:
    """A fact on one line: name, value, qualifiers, line:column and quote ('-' only the other
    version has it, '+' only this one)."""
    evidence = fact.get("evidence", {})
    qualifiers = json.dumps(fact.get("qualifiers", {}), sort_keys=True)
    return (f"{fact['name']}={json.dumps(fact.get('value'), sort_keys=True)} {qualifiers} "
            f"{evidence.get('line')}:{evidence.get('column')} {evidence.get('text', '')[:90]!r}")


def _shown_unread(clause: dict) -> str:
    evidence = clause.get("evidence", {})
    return (f"unread {clause['name']} {evidence.get('line')}:{evidence.get('column')} "
            f"{tuple(clause.get('cues', ()))} {evidence.get('text', '')[:90]!r}")


def _unread_counts(documents: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for document in documents:
        for clause in document.get("unread", ()):
            counts[clause["name"]] = counts.get(clause["name"], 0) + 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="source tree of the version to compare with")
    parser.add_argument("paths", nargs="+", help="contracts or directories")
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print the facts that differ in the first N differing documents")
    parser.add_argument("--unread", action="store_true",
                        help="compare the unread clauses too (counts per fact, and those that differ)")
    args = parser.parse_args()
    ours, theirs = facts_json(HERE, args.paths), facts_json(args.other.resolve(), args.paths)
    documents = json.loads(ours)["documents"]
    print(f"{len(documents)} documents, {sum(len(d['facts']) for d in documents)} facts")
    if ours == theirs:
        print("identical")
        return 0
    other_documents = {d["path"]: d for d in json.loads(theirs)["documents"]}
    if args.unread:
        mine_counts, other_counts = _unread_counts(documents), _unread_counts(list(other_documents.values()))
        changed = sorted(name for name in set(mine_counts) | set(other_counts)
                         if mine_counts.get(name, 0) != other_counts.get(name, 0))
        print(f"unread clauses: {sum(other_counts.values())} -> {sum(mine_counts.values())}")
        for name in changed:
            print(f"  {name:40} {other_counts.get(name, 0):6} -> {mine_counts.get(name, 0):6}")
    differing = [d["path"] for d in documents if other_documents.get(d["path"]) != d]
    print(f"DIFFERENT: {len(differing)} documents differ" + (f", e.g. {differing[:5]}" if differing else
                                                              " (errors or document list differ)"))
    ours_by_path = {d["path"]: d for d in documents}
    for path in differing[:args.show]:
        mine = {_shown(fact) for fact in ours_by_path[path]["facts"]}
        other = {_shown(fact) for fact in other_documents.get(path, {}).get("facts", [])}
        print(f"\n{path}")
        for line in sorted(other - mine):
            print(f"  - {line}")
        for line in sorted(mine - other):
            print(f"  + {line}")
        if args.unread:
            mine = {_shown_unread(clause) for clause in ours_by_path[path].get("unread", ())}
            other = {_shown_unread(clause) for clause in other_documents.get(path, {}).get("unread", ())}
            for line in sorted(other - mine):
                print(f"  - {line}")
            for line in sorted(mine - other):
                print(f"  + {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
