"""Parsing an editor's text piece by piece gives exactly what parsing it whole gives.

policycheck/lsp/incremental.py re-parses only the items an edit touched; this compares it with
the parser of ``validate`` over every policy of the repository and its test cases, and over a
typing session of random edits (insertions, deletions, new lines) on each, with the pieces of
earlier texts remembered as the server remembers them.
"""

from __future__ import annotations

import random

import pytest
import yaml

from conftest import EXAMPLES, POLICIES, REPO
from policycheck.errors import PolicySyntaxError
from policycheck.lsp.incremental import PieceParser, pieces
from policycheck.policy.parser import parse_policy

_EDITS = ["", "x", " ", "\n", "{", "}", "#", '"', "rule r {", "flag auto_renewal\n", "and ", "[CN, ", "90d"]


def _policies() -> list[tuple[str, str]]:
    found = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(POLICIES.glob("*.policy"))]
    found += [(path.name, path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES.rglob("*.policy"))]
    for path in sorted((REPO / "tests" / "cases").glob("*/*.yaml")):
        for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if isinstance(case.get("policy"), str):
                found.append((f"{path.parent.name}/{path.stem}#{index}", case["policy"]))
    return found


def _whole(text: str):
    try:
        return parse_policy(text, "edited.policy")
    except PolicySyntaxError as exc:
        return exc.render()


def _by_pieces(parser: PieceParser, text: str):
    try:
        return parser.parse(text, "edited.policy")
    except PolicySyntaxError as exc:
        return exc.render()


POLICY_TEXTS = _policies()


def test_the_corpus_is_not_trivial():
    assert len(POLICY_TEXTS) > 50
    assert max(len(pieces(text)) for _name, text in POLICY_TEXTS) > 10


@pytest.mark.parametrize("name, text", POLICY_TEXTS, ids=[name for name, _ in POLICY_TEXTS])
def test_pieces_join_to_the_text_and_parse_as_the_whole(name, text):
    assert "\n".join(piece for _start, piece in pieces(text)) == text
    assert _by_pieces(PieceParser(), text) == _whole(text)


@pytest.mark.parametrize("name, text", [(n, t) for n, t in POLICY_TEXTS if n.endswith(".policy")],
                         ids=[n for n, _ in POLICY_TEXTS if n.endswith(".policy")])
def test_a_typing_session_of_random_edits(name, text):
    chooser = random.Random(name)
    parser = PieceParser()
    original = text
    for _ in range(40):
        if chooser.random() < 0.5:
            text = original         # back to the valid text half the time: about half the texts parse
        start = chooser.randrange(len(text) + 1)
        end = min(len(text), start + chooser.choice([0, 0, 1, 3, 12]))
        text = text[:start] + chooser.choice(_EDITS) + text[end:]
        assert _by_pieces(parser, text) == _whole(text), text
