"""Write policycheck/facts/zh_variants.txt: traditional Chinese characters and their simplified forms.

    python tools/make_zh_variants.py TSCharacters.txt [TWVariantsRev.txt HKVariantsRev.txt ...]

The inputs are OpenCC's character tables (Apache License 2.0; shipped by the PyPI package
``opencc-python-reimplemented`` under ``opencc/dictionary/``): one line per character, the
character, a tab, and its conversions separated by spaces. A Taiwan or Hong Kong variant table
maps a regional form to the standard traditional one, which TSCharacters then simplifies.

Only one-to-one conversions are kept: a character whose first conversion is a single character
of the Basic Multilingual Plane (the matching view folds character for character, so every
evidence offset stays where it was). The output has two lines of equal length: the traditional
characters and, at the same places, their simplified forms.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "policycheck" / "facts" / "zh_variants.txt"


def _table(path: str) -> dict[str, str]:
    table = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target and max(ord(source), ord(target)) < 0x10000:
            table[source] = target
    return table


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    simplify = _table(argv[0])
    mapping = dict(simplify)
    for regional in argv[1:]:
        for variant, standard in _table(regional).items():
            target = simplify.get(standard, standard)
            if variant not in mapping and variant != target:
                mapping[variant] = target
    # A character that is itself the simplified form of another stays as it is.
    mapping = {source: target for source, target in mapping.items() if source not in set(simplify.values())
               or source in simplify}
    pairs = sorted(mapping.items())
    OUT.write_text("# Traditional (and Taiwan / Hong Kong variant) characters, then their simplified forms\n"
                   "# at the same places. Derived from OpenCC's character tables (Apache License 2.0) by\n"
                   "# tools/make_zh_variants.py; do not edit by hand.\n"
                   + "".join(s for s, _ in pairs) + "\n" + "".join(t for _, t in pairs) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {len(pairs)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
