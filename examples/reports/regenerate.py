"""Regenerate the sample reports in this directory: one run, every format.

    python examples/reports/regenerate.py

Run it from anywhere; paths in the reports are relative to the repository root. The samples
are deterministic, so a second run changes nothing unless policycheck's output changed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
POLICY = "examples/reports/playbook.policy"
CONTRACT = "examples/reports/contract/lanting-cloud-hosting.txt"
WAIVERS = "examples/reports/waivers.yaml"
OUTPUTS = {
    "text": "report.txt",
    "markdown": "report.md",
    "html": "report.html",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "github": "report.github.txt",
    "compact": "report.compact.txt",
}


def main() -> int:
    os.chdir(REPO)
    sys.path.insert(0, str(REPO))
    os.environ["NO_COLOR"] = "1"
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    from policycheck.cli.main import main as policycheck

    args = ["run", POLICY, CONTRACT, "--waivers", WAIVERS, "-q"]
    for name, file_name in OUTPUTS.items():
        args += ["-f", f"{name}:examples/reports/{file_name}"]
    code = policycheck(args)
    if code not in (0, 1):
        return code
    # A user's own template (--template) prints on stdout; keep its output next to it.
    with open(HERE / "summary.md", "w", encoding="utf-8", newline="\n") as handle:
        sys.stdout, saved = handle, sys.stdout
        try:
            code = policycheck(["run", POLICY, CONTRACT, "--waivers", WAIVERS,
                                "--template", "examples/reports/summary.md.j2"])
        finally:
            sys.stdout = saved
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main())
