"""Check that two versions of policycheck extract byte-identical facts.

    python bench/compare_facts.py OTHER_SOURCE_TREE PATH...

OTHER_SOURCE_TREE is a checkout of another version (for example ``git archive main | tar -x -C
/tmp/main``). Both versions run ``policycheck facts --format json`` over the same PATHs
(contracts or directories); the script prints how many documents and facts were compared and
the first documents whose facts differ, and exits 1 when any differ. A change meant only to
make extraction faster must leave this at zero differences.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def facts_json(source_tree: Path, paths: list[str]) -> bytes:
    environment = dict(os.environ, PYTHONPATH=str(source_tree))
    done = subprocess.run([sys.executable, "-m", "policycheck", "facts", "--format", "json", *paths],
                          env=environment, capture_output=True, check=False)
    if done.returncode not in (0, 2):
        sys.exit(f"policycheck from {source_tree} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="source tree of the version to compare with")
    parser.add_argument("paths", nargs="+", help="contracts or directories")
    args = parser.parse_args()
    ours, theirs = facts_json(HERE, args.paths), facts_json(args.other.resolve(), args.paths)
    documents = json.loads(ours)["documents"]
    print(f"{len(documents)} documents, {sum(len(d['facts']) for d in documents)} facts")
    if ours == theirs:
        print("identical")
        return 0
    other_documents = {d["path"]: d for d in json.loads(theirs)["documents"]}
    differing = [d["path"] for d in documents if other_documents.get(d["path"]) != d]
    print(f"DIFFERENT: {len(differing)} documents differ" + (f", e.g. {differing[:5]}" if differing else
                                                              " (errors or document list differ)"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
