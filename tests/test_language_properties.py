"""Property tests of the policy language: fmt round-trips, and no input crashes the parser."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycheck.catalogue import default_catalogue
from policycheck.errors import PolicycheckError
from policycheck.facts.given import parse_given_facts
from policycheck.policy import ast
from policycheck.policy.layout import format_policy_text
from policycheck.policy.parser import parse_policy

KEYWORDS = {"policy", "version", "let", "include", "rule", "require", "forbid", "flag", "when", "unless",
            "and", "or", "not", "in", "is", "present", "missing", "severity", "message", "tags", "see"}

names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
codes = st.sampled_from(["CN", "HK", "US", "US-NY", "GB-EAW", "EU", "GREATER_CHINA", "arbitration", "true"])
numbers = st.from_regex(r"-?(0|[1-9][0-9]{0,5})(\.[0-9]{1,2})?", fullmatch=True)
plain = st.from_regex(r"(0|[1-9][0-9]{0,4})(\.[0-9]{1,2})?", fullmatch=True)
durations = st.builds(lambda n, u: n + u, plain, st.sampled_from(["d", "h", "w", "mo", "y", "bd"]))
percents = plain.map(lambda n: n + "%")
money = st.builds(lambda c, n: f"{c} {n}", st.sampled_from(["USD", "CNY", "EUR"]), plain)
string_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n\r"),
                      max_size=20)
strings = string_text.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
literals = st.one_of(durations, percents, money, numbers, codes, strings)
ops = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


def _atom():
    set_list = st.lists(literals, min_size=0, max_size=4).map(lambda xs: "[" + " , ".join(xs) + "]")
    return st.one_of(
        names,
        names.map(lambda n: f"{n} is present"),
        names.map(lambda n: f"{n} is missing"),
        st.builds(lambda n, o, v: f"{n} {o} {v}", names, ops, literals),
        st.builds(lambda n, neg, t: f"{n} {'not in' if neg else 'in'} {t}", names, st.booleans(),
                  st.one_of(set_list, literals)),
    )


conditions = st.recursive(
    _atom(),
    lambda inner: st.one_of(
        inner.map(lambda c: f"( {c} )"),
        inner.map(lambda c: f"not {c}"),
        st.builds(lambda a, b: f"( {a} ) and ( {b} )", inner, inner),
        st.builds(lambda a, b: f"{a} or {b}", inner, inner).map(lambda c: f"({c})"),
    ),
    max_leaves=8,
)

metas = st.one_of(
    st.sampled_from(["severity error", "severity warning", "severity info"]),
    strings.map(lambda s: f"message {s}"),
    st.lists(names, max_size=3).map(lambda ns: "tags [" + ", ".join(ns) + "]"),
    strings.map(lambda s: f"see {s}"),
)

statements = st.builds(
    lambda verb, cond, guard, ms: " ".join([verb, cond] + ([guard] if guard else []) + ms),
    st.sampled_from(["require", "forbid", "flag"]),
    conditions,
    st.one_of(st.none(), st.builds(lambda k, c: f"{k} {c}", st.sampled_from(["when", "unless"]), conditions)),
    st.lists(metas, max_size=3),
)

items = st.one_of(
    statements,
    st.builds(lambda i, t, s: f"rule {i} {t} {{ {s} }}", st.from_regex(r"[a-z0-9][a-z0-9.\-_]{0,10}", fullmatch=True),
              st.one_of(st.just(""), strings), statements),
    st.builds(lambda n, xs: f"let {n.upper()} = [{', '.join(xs)}]", names, st.lists(literals, max_size=3)),
    strings.map(lambda s: f"include {s}"),
    st.builds(lambda n, v: f"policy {n}" + (f" version {v}" if v else ""), strings, st.one_of(st.none(), strings)),
)

separators = st.sampled_from([" ", "\n", "  \n\n", "\t", " # a comment\n", "\n# own line\n"])


@st.composite
def policy_texts(draw):
    chosen = draw(st.lists(items, max_size=6))
    out = []
    for item in chosen:
        # Re-space the item: every single space may become another separator.
        words = item.split(" ")
        spaced = words[0]
        for word in words[1:]:
            spaced += (draw(separators) if '"' not in spaced.split("\n")[-1] else " ") + word
        out.append(spaced)
        out.append(draw(separators))
    return "".join(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_texts())
def test_fmt_round_trip(text):
    """parse(fmt(x)) == parse(x) (positions ignored), and fmt(fmt(x)) == fmt(x)."""
    formatted = format_policy_text(text)
    assert ast.shape(parse_policy(formatted)) == ast.shape(parse_policy(text))
    assert format_policy_text(formatted) == formatted


TOKENS = st.sampled_from(["require", "forbid", "flag", "rule", "let", "include", "policy", "when", "unless",
                          "and", "or", "not", "in", "is", "present", "missing", "severity", "message", "tags",
                          "see", "{", "}", "[", "]", "(", ")", ",", "=", "==", "<", ">=", "90d", "99.9%",
                          "USD", "100", "CN", "a_fact", '"text"', '"', "#", "\n", " ", "\\", "-", "%", "é", "的"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(TOKENS, max_size=40).map(" ".join)))
def test_random_text_raises_only_our_errors(text):
    for operation in (parse_policy, format_policy_text):
        try:
            operation(text)
        except PolicycheckError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.sampled_from(["doc:", "\n", "  ", "governing_law:", "[", "]", "{", "}", "CN",
                                           "90d", "value:", "low:", "high:", "-", ":", "&a", "*a", "!!str",
                                           '{"schema": "policycheck/facts/v1"', "null", ","]),
                          max_size=30).map("".join)))
def test_random_facts_files_raise_only_our_errors(text):
    for path in ("facts.yaml", "facts.json"):
        try:
            parse_given_facts(text, path, default_catalogue())
        except PolicycheckError:
            pass


def test_deep_parentheses_parse_without_recursion():
    text = "flag " + "(" * 5000 + "a" + ")" * 5000
    (statement,) = parse_policy(text).items
    assert statement.condition == ast.Truthy(1, 5006, "a")


def test_deep_nesting_is_an_error_not_a_crash():
    text = "flag " + "not " * 5000 + "a"
    try:
        parse_policy(text)
    except PolicycheckError as exc:
        assert exc.message == "condition nests more than 64 levels deep"
    else:  # pragma: no cover
        raise AssertionError("5000 nested nots must be refused")


# --- evaluation laws --------------------------------------------------------------------------

from policycheck.findings.evaluate import Evaluator  # noqa: E402
from policycheck.policy.model import PolicySet, Rule  # noqa: E402

FACT_VALUES = {
    "governing_law": ["CN", "HK", "US-NY", "DE"],
    "data_deletion_after": ["30d", "3mo", "1y", "60bd"],
    "auto_renewal": ["true", "false"],
    "liability_cap_amount": ["USD 1000", "CNY 1000", "USD 5"],
}
ATOMS = ["governing_law in [CN, EU]", "governing_law == HK", "governing_law not in US",
         "data_deletion_after < 90d", "data_deletion_after >= 1y", "auto_renewal", "auto_renewal is missing",
         "liability_cap_amount >= USD 100", "liability_cap_amount in [USD 5]", "data_deletion_after is present"]
eval_conditions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(inner.map(lambda c: f"not ({c})"),
                            st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
                            st.builds(lambda a, b: f"({a}) or ({b})", inner, inner)),
    max_leaves=5,
)
documents = st.fixed_dictionaries({name: st.lists(st.sampled_from(values), max_size=2)
                                   for name, values in FACT_VALUES.items()})


def _outcome(statement_text: str, facts_yaml: str) -> str:
    policy_file = parse_policy(statement_text)
    (statement,) = policy_file.items
    rule = Rule("r", statement, "p.policy", 1)
    policy_set = PolicySet(rules=[rule], files=[policy_file])
    assert check_policies_quietly(policy_set) == []
    (document,) = parse_given_facts(facts_yaml, "facts.yaml", default_catalogue())
    return Evaluator(policy_set, default_catalogue()).evaluate(rule, document.by_name()).status


def check_policies_quietly(policy_set):
    from policycheck.policy.checker import check_policies
    return check_policies(policy_set, default_catalogue())


def _facts_yaml(document: dict) -> str:
    lines = ["doc:"] + [f"  {name}: [{', '.join(values)}]" for name, values in document.items() if values]
    return "\n".join(lines) + "\n" if len(lines) > 1 else "doc:\n"


@settings(max_examples=150, deadline=None)
@given(eval_conditions, documents)
def test_require_c_fails_exactly_when_forbid_not_c_fires(condition, document):
    """`not` flips the quantifier: "some value breaks C" is what both statements say."""
    facts = _facts_yaml(document)
    required = _outcome(f"require {condition}", facts)
    forbidden = _outcome(f"forbid not ({condition})", facts)
    assert (required == "failed") == (forbidden == "failed")
    assert required in ("passed", "failed", "missing")


@settings(max_examples=150, deadline=None)
@given(eval_conditions, documents)
def test_double_negation_changes_nothing(condition, document):
    facts = _facts_yaml(document)
    for verb in ("require", "forbid", "flag"):
        assert _outcome(f"{verb} {condition}", facts) == _outcome(f"{verb} not not ({condition})", facts)
