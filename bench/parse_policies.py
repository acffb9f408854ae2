"""Measure how fast policies are parsed, checked and formatted.

    python bench/parse_policies.py [--statements 10000] [--repeat 5]

Builds one policy text of N statements mixing every construct (comparisons of each literal
type, sets, named sets, and/or/not, guards, meta clauses, rule blocks), then reports the best
of R runs for: parsing to the AST, the static check against the fact catalogue, and fmt.
The first parse in a process also builds the LALR tables; that one-off cost is reported apart.
"""

from __future__ import annotations

import argparse
import time

from policycheck.catalogue import default_catalogue
from policycheck.policy.checker import check_policies
from policycheck.policy.layout import format_policy_text
from policycheck.policy.model import PolicySet, Rule, derived_rule_id
from policycheck.policy import ast
from policycheck.policy.parser import parse_policy

TEMPLATES = [
    "require arbitration_venue in [CN, HK, MO] when governing_law == CN",
    "flag data_deletion_after < {n}d unless data_export_window >= 30d",
    "forbid unilateral_amendment and amendment_notice_period < {n}bd",
    "require uptime_commitment >= 99.{n}% severity warning message \"uptime is {{uptime_commitment}}\"",
    "flag liability_cap_amount < USD {n}000 or not liability_cap",
    "require not (auto_renewal and renewal_notice_period is missing) tags [renewal, notice]",
    "rule r{i} \"Numbered rule {i}\" {{ require dispute_forum == arbitration see \"https://example.com/{i}\" }}",
    "flag minimum_age < {n} when prevailing_language in [en, equal]",
    "require governing_law in GROUP{g}",
    "# a comment line {i}",
]


def build(statements: int) -> str:
    lines = [f"let GROUP{g} = [CN, HK, US-NY, EU]" for g in range(10)]
    for i in range(statements):
        template = TEMPLATES[i % len(TEMPLATES)]
        lines.append(template.format(n=i % 97 + 1, i=i, g=i % 10))
    return "\n".join(lines) + "\n"


def best_of(repeat: int, action) -> tuple[float, float]:
    """Best wall-clock and best CPU time of ``repeat`` runs (CPU time is steadier on a busy machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = build(args.statements)

    start = time.perf_counter()
    parse_policy("flag auto_renewal")
    tables = time.perf_counter() - start

    parse_time = best_of(args.repeat, lambda: parse_policy(text, "bench.policy"))
    policy_file = parse_policy(text, "bench.policy")
    policy_set = PolicySet(files=[policy_file])
    for item in policy_file.items:
        if isinstance(item, ast.LetSet):
            policy_set.sets[item.name] = (item, "bench.policy")
        elif isinstance(item, ast.RuleBlock):
            policy_set.rules.append(Rule(item.rule_id, item.statement, "bench.policy", item.line, item.title, True))
        elif isinstance(item, ast.Statement):
            policy_set.rules.append(Rule(derived_rule_id("bench", item), item, "bench.policy", item.line))
    catalogue = default_catalogue()
    problems = check_policies(policy_set, catalogue)
    assert not problems, problems[0].render()
    check_time = best_of(args.repeat, lambda: check_policies(policy_set, catalogue))
    fmt_time = best_of(max(1, args.repeat // 2), lambda: format_policy_text(text, "bench.policy"))

    count = args.statements
    print(f"{count} statements, {len(text) / 1024:.0f} KiB of policy text, best of {args.repeat} runs")
    print(f"  {'':36}{'wall':>10}{'cpu':>10}")
    print(f"  {'grammar tables (once per process)':36}{tables * 1000:8.1f}ms")
    for label, (wall, cpu) in (("parse to AST", parse_time), ("static check", check_time),
                               ("fmt (parse, layout, re-parse check)", fmt_time)):
        print(f"  {label:36}{wall * 1000:8.1f}ms{cpu * 1000:8.1f}ms")
    print(f"  parsing: {count / parse_time[1]:,.0f} statements per CPU second")


if __name__ == "__main__":
    main()
