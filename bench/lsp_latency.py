"""Time from a change in the editor to the diagnostics for it, on a 500-line policy.

Starts ``policycheck lsp`` with a real LSP client over stdio (bench/lsp_client.py), opens a
generated policy of about 500 lines in a scratch workspace, then sends one-character edits, as
an editor does while the author types, and times each ``didChange`` until the
``publishDiagnostics`` for that version arrives. Every other edit makes a fact name unknown, so
half the figures include a diagnostic with its did-you-mean and half a clean file; every edit
also rewrites the last line, so each text is new to the server.

    python bench/lsp_latency.py                     # 40 edits, the policy alone
    python bench/lsp_latency.py --with-packs        # the shipped packs in the same workspace
    python bench/lsp_latency.py --lines 2000 --edits 20

Timings include the JSON-RPC round trip through both processes; other load on the machine
skews them, so the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lsp_client import LspSession, uri  # noqa: E402

# (fact, operator and value) pairs rotated through the generated rules.
_CONDITIONS = [
    "data_deletion_after < 30d", "breach_notification_period > 72h", "uptime_commitment < 99.9%",
    "governing_law not in HOME", "arbitration_venue in [CN, HK, SG]", "liability_cap_fee_period < 12mo",
    "dispute_forum == arbitration_or_court", "renewal_notice_period > 90d", "minimum_age < 18",
    "liability_cap_amount < USD 100000", "data_location not in APPROVED", "prevailing_language != zh",
]


def policy_text(lines: int) -> str:
    """A policy of exactly ``lines`` lines: a header, two sets, commented rule blocks and bare
    statements, like the shipped packs (comment lines fill up the end)."""
    out = ['policy "Latency bench" version "1"', "", "let HOME = [CN, HK, MO]",
           "let APPROVED = [CN, EU, SG, US-CA]", ""]
    index = 0
    while True:
        condition = _CONDITIONS[index % len(_CONDITIONS)]
        block = [f"# Rule {index}: why the playbook cares about {condition.split()[0]}.",
                 f'rule bench.rule-{index} "Check number {index}" {{',
                 f"    flag {condition}",
                 "    severity warning",
                 f'    message "Rule {index} fired"',
                 "}", ""]
        if index % 3 == 0:
            block += [f'require {condition} unless minimum_age > {index} message "bare statement {index}"', ""]
        if len(out) + len(block) > lines:
            break
        out += block
        index += 1
    out += [f"# end of the generated policy ({lines} lines)"] * (lines - len(out))
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--with-packs", action="store_true", help="put the shipped policy packs in the workspace too")
    args = parser.parse_args()

    workspace = Path(tempfile.mkdtemp(prefix="policycheck-lsp-bench-"))
    session = None
    try:
        path = workspace / "bench.policy"
        text = policy_text(args.lines)
        path.write_text(text, encoding="utf-8")
        if args.with_packs:
            for pack in sorted((HERE.parent / "policies").glob("*.policy")):
                shutil.copy(pack, workspace / pack.name)
        session = LspSession(workspace, env={"XDG_CACHE_HOME": str(workspace / ".cache")})
        started = time.perf_counter()
        session.start()
        mark = session.open(path, text)
        stamp, diagnostics = session.diagnostics_at(path, mark, version=1)
        first = stamp - started
        if diagnostics:
            print(f"the generated policy is not clean: {diagnostics[0].message}", file=sys.stderr)
            return 1
        lines = text.split("\n")
        target = next(number for number, line in enumerate(lines) if line.strip().startswith("flag "))
        column = lines[target].index("flag ") + len("flag ")
        last = len(lines) - 2            # the text ends with a newline: lines[-1] is empty
        timings, wrong = [], 0
        for edit in range(args.edits):
            # Even edits insert an 'x' into the first fact name, odd edits take it out again; each
            # also rewrites the last line, so no text repeats and nothing is answered from memory.
            toggle = (target, column, target, column, "x") if edit % 2 == 0 else (target, column, target, column + 1, "")
            counter = (last, 0, last, len(lines[last]), f"# edit {edit}")
            lines[last] = f"# edit {edit}"
            sent = time.perf_counter()
            mark = session.change(path, edits=[toggle, counter])
            stamp, diagnostics = session.diagnostics_at(path, mark, version=session.versions[uri(path)])
            timings.append((stamp - sent) * 1000)
            expected = 1 if edit % 2 == 0 else 0
            wrong += len(diagnostics) != expected
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        files = len(list(workspace.glob("*.policy")))
        print(f"policy: {len(lines) - 1} lines, {files} policy file(s) in the workspace; load average {load:.2f}")
        print(f"open to first diagnostics (server start included): {first * 1000:.0f} ms")
        ordered = sorted(timings)
        p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
        print(f"didChange -> publishDiagnostics over {len(timings)} edits: median {statistics.median(timings):.1f} ms, "
              f"p90 {p90:.1f} ms, max {max(timings):.1f} ms")
        if wrong:
            print(f"{wrong} edit(s) got the wrong diagnostics", file=sys.stderr)
            return 1
        return 0
    finally:
        if session is not None:
            session.stop()
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
