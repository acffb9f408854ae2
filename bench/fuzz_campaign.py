"""A longer fuzz campaign over what a repository controls: the properties of
tests/test_robustness_properties.py (generated policies through the loader, the static checker
and fmt; generated config and waivers files; generated facts JSON) with a large budget.

    python bench/fuzz_campaign.py                  # 2,000 examples per property
    python bench/fuzz_campaign.py --examples 20000 --seed 7

Each property must only ever raise PolicycheckError (a message, exit 2) and formatting must be
stable; the first counterexample is printed, shrunk, with the exit status 1. The normal test
suite runs the same properties with a few dozen examples.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

PROPERTY_NAMES = (
    "test_loading_generated_policies_raises_only_our_errors",
    "test_loading_generated_config_and_waivers_raises_only_our_errors",
    "test_reading_generated_facts_json_raises_only_our_errors",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one)")
    args = parser.parse_args()
    # The test module reads its budget when imported.
    os.environ["POLICYCHECK_FUZZ_EXAMPLES"] = str(args.examples)
    from hypothesis import seed

    import test_robustness_properties as properties

    failed = 0
    for name in PROPERTY_NAMES:
        prop = getattr(properties, name)
        campaign = seed(args.seed)(prop) if args.seed is not None else prop
        start = time.perf_counter()
        try:
            campaign()
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - report every property's counterexample
            failed += 1
            outcome = f"FAILED: {type(exc).__name__}: {exc}"
        print(f"{name}: {args.examples} examples, {time.perf_counter() - start:.1f} s, {outcome}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
