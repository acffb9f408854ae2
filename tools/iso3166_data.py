#!/usr/bin/env python3
"""Write policycheck/values/iso3166.json from the ISO 3166 data that pycountry carries.

Run at development time, when pycountry has a new release (``pip install pycountry``):

    python tools/iso3166_data.py            # rewrites policycheck/values/iso3166.json
    python tools/iso3166_data.py --check    # exit 1 when the shipped file is out of date

The shipped file is plain JSON, so a policycheck run never imports pycountry. It holds, for
every ISO 3166-1 country, its alpha-2 and alpha-3 codes, short name, official name, common name and their
Chinese (zh_CN) names; for every ISO 3166-2 subdivision its code, name, type, parent and
Chinese name. Forms the standard lacks (adjectives, cities, "PRC") are kept by hand in
jurisdiction_names.yaml.
"""

from __future__ import annotations

import argparse
import gettext
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "policycheck" / "values" / "iso3166.json"


def _clean(name: str) -> str:
    # "Wales [Cymru GB-CYM]": the bracket holds another code's name, not part of this one.
    return name.split(" [", 1)[0].strip()


def build() -> dict:
    import pycountry

    zh1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    zh2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)

    def chinese(catalogue, name):
        if not name:
            return None
        translated = catalogue.gettext(name)
        return translated if translated != name and not translated.isascii() else None

    countries = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        official = getattr(country, "official_name", None)
        common = getattr(country, "common_name", None)
        countries.append([country.alpha_2, country.name, official, common,
                          chinese(zh1, country.name), chinese(zh1, official), chinese(zh1, common),
                          country.alpha_3])
    subdivisions = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        subdivisions.append([sub.code, _clean(sub.name), sub.type, sub.parent_code,
                             chinese(zh2, sub.name)])
    return {
        "source": f"ISO 3166-1 and ISO 3166-2 as carried by pycountry {pycountry_version()}",
        "countries_fields": ["code", "name", "official", "common", "zh", "zh_official", "zh_common", "alpha_3"],
        "countries": countries,
        "subdivisions_fields": ["code", "name", "type", "parent", "zh"],
        "subdivisions": subdivisions,
    }


def pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def render(data: dict) -> str:
    lines = ["{"]
    for key in ("source", "countries_fields", "subdivisions_fields"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)},")
    for key in ("countries", "subdivisions"):
        rows = [f"    {json.dumps(row, ensure_ascii=False)}" for row in data[key]]
        lines.append(f"  {json.dumps(key)}: [")
        lines.append(",\n".join(rows))
        lines.append("  ]" + ("," if key == "countries" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the shipped file is current")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python tools/iso3166_data.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.name}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
