"""Party roles read from a contract's definitions (policycheck/facts/parties.py)."""

from __future__ import annotations

import random
import re

import pytest

from policycheck.facts.parties import _named_later, read_party_roles


@pytest.mark.parametrize("head, expected", [
    ("甲方（委托方）：某某物流有限公司\n乙方（服务方）：某某软件有限公司\n", {"甲方": "customer", "乙方": "provider"}),
    ("甲方（服务提供方）：某某云有限公司\n乙方（采购方）：某某餐饮有限公司\n", {"甲方": "provider", "乙方": "customer"}),
    ("甲方(服务提供方):某某科技有限公司\n乙方(订阅用户):以订单载明的企业为准\n", {"甲方": "provider", "乙方": "customer"}),
    ("委托方：某某制造有限公司（以下简称“甲方”）\n受托方：某某信息技术有限公司（以下简称“乙方”）\n",
     {"甲方": "customer", "乙方": "provider"}),
    ("一、甲方（需方）：某某医院\n二、乙方：某某设备有限公司\n", {"甲方": "customer", "乙方": "provider"}),
    ("甲方：某某物流有限公司\n乙方：某某软件有限公司\n甲方委托乙方开发仓储管理系统，双方订立本合同。\n",
     {"甲方": "customer", "乙方": "provider"}),
    ('Party A (the "Customer"): Harbor Analytics Ltd.\nParty B: Northwind Hosting Inc.\n',
     {"party a": "customer", "party b": "provider", "甲方": "customer", "乙方": "provider"}),
])
def test_roles_from_definitions(head, expected):
    roles = read_party_roles(head + "第一条 服务内容\n乙方应向甲方提供服务。\n")
    assert {name: roles.role_of(name) for name in expected} == expected


@pytest.mark.parametrize("text", [
    "甲方：某某医药有限公司\n乙方：某某数据服务有限公司\n",          # no role named
    "甲方（委托方）：某某公司\n乙方（委托方）：某某公司\n",            # both the customer
    "甲方（委托方）：某某公司\n甲方（服务方）：某某公司\n",            # one letter, two roles
    "甲方（委托方）：某某公司\n乙方：某某公司\n乙方委托甲方代为采购。\n",  # recital contradicts
    "第一条 甲方应向用户提供服务。\n第二条 乙方应于收到发票后付款。\n",  # clauses, not definitions
])
def test_no_role_without_a_clear_definition(text):
    roles = read_party_roles(text)
    assert roles.role_of("甲方") is None and roles.role_of("乙方") is None


def test_role_words_need_no_definition():
    roles = read_party_roles("")
    assert [roles.role_of(w) for w in ("用户", "委托方", "受托方", "服务方", "您", "甲方")] == \
        ["customer", "customer", "provider", "provider", "customer", None]


# The naming of a party later in a line, as one regex: what parties._named_later must find.
_NAMED_LATER_AS_ONE_REGEX = re.compile(
    r"^(?P<head>[^\n]{0,80}?)(?:简称|簡稱|下称|下稱|hereinafter|referred\s+to\s+as)[ \t　]*(?:as[ \t]+)?"
    r"[\"“”「『'‘]?(?:the[ \t]+)?(?P<letter>甲方|乙方|丙方|Party\s+[AB]\b)",
    re.MULTILINE | re.IGNORECASE)

_NAMING_PIECES = ["委托方：某某公司", "（以下简称“甲方”）", "简称乙方", "下稱丙方", "hereinafter ", "HEREINAFTER ",
                  "Referred to\nas the Party B", "referred  to as ", "Party\nA", "Party A", "PARTY b ",
                  "“Party Bx”", "the ", "as ", "\n", "\n\n", "x" * 30, "y" * 79, "某" * 81, " ", "甲方"]


def _naming_texts():
    generator = random.Random(9)
    for _ in range(3000):
        yield "".join(generator.choice(_NAMING_PIECES) for _ in range(generator.randint(0, 12)))


def test_named_later_finds_what_the_one_regex_finds():
    for text in _naming_texts():
        expected = [(m.group("head"), m.group("letter")) for m in _NAMED_LATER_AS_ONE_REGEX.finditer(text)]
        assert list(_named_later(text)) == expected, text
