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
    # The role first, the letter in brackets after it.
    ("委托方（甲方）：某某物流有限公司\n受托方（乙方）：某某软件有限公司\n", {"甲方": "customer", "乙方": "provider"}),
    ("服务方（甲方）：某某云有限公司\n乙方：某某餐饮有限公司\n", {"甲方": "provider", "乙方": "customer"}),
    ("Customer (Party A): Harbor Analytics Ltd.\nSupplier (Party B): Northwind Hosting Inc.\n",
     {"party a": "customer", "party b": "provider"}),
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
    "地址（甲方）：某某路一号\n电话（乙方）：12345678\n",             # a field of each party, no role
])
def test_no_role_without_a_clear_definition(text):
    roles = read_party_roles(text)
    assert roles.role_of("甲方") is None and roles.role_of("乙方") is None


def test_role_words_need_no_definition():
    roles = read_party_roles("")
    assert [roles.role_of(w) for w in ("用户", "委托方", "受托方", "服务方", "您", "甲方")] == \
        ["customer", "customer", "provider", "provider", "customer", None]
    # A platform's user as Taiwan terms write it, and a member of a service.
    assert [roles.role_of(w) for w in ("使用者", "会员")] == ["customer", "customer"]


def test_a_member_or_user_defined_as_a_party_is_the_customer():
    roles = read_party_roles("甲方（会员）：以注册信息为准\n乙方：某某网络科技有限公司\n")
    assert (roles.role_of("甲方"), roles.role_of("乙方")) == ("customer", "provider")


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


# -- names a document defines -------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    ('These Terms are an agreement between Northwind Cloud Ltd ("Northwind", "we", "us") and you.\n',
     {"Northwind": "provider", "Northwind Cloud": "provider", "we": "provider", "you": "customer"}),
    ('This Agreement is made by and between Quill Software GmbH (hereinafter "Licensor") and Redwood Retail Inc. '
     '(hereinafter "Licensee" or "Redwood").\n',
     {"Quill Software": "provider", "Redwood": "customer", "Redwood Retail": "customer"}),
    ('This Agreement is entered into by Harborlight Media Inc., a Delaware corporation (the "Company"), '
     'and Pinecone Foods Inc. ("Customer").\n',
     {"Company": "provider", "Harborlight Media": "provider", "Pinecone Foods": "customer"}),
    ("These Terms are between you and Maple Games LLC.\n", {"Maple Games": "provider"}),
    ('Supplier: Orchard Systems Ltd ("Orchard")\nCustomer: Pinecone Foods Inc. ("Pinecone")\n',
     {"Orchard": "provider", "Pinecone": "customer"}),
    ('Kestrel Forums Ltd ("Kestrel", "Customer")\n', {"Kestrel": "customer", "we": "provider"}),
    ('Redwood Retail Inc. ("Redwood", "we", "Customer")\n', {"Redwood": None, "we": None}),   # two roles
    ("云帆科技有限公司（以下简称“本公司”或“我们”）\n", {"本公司": "provider", "我们": "provider"}),
    ("甲方（委托方）：海川物流有限公司（以下简称“海川”）\n乙方（服务方）：云帆软件有限公司（以下简称“云帆”）\n",
     {"海川": "customer", "云帆": "provider", "甲方": "customer"}),
    ("甲方（委托方）：海川物流有限公司（以下简称“本公司”）\n", {"本公司": "customer"}),
    ("某某网络科技有限公司运营的阅读平台（以下简称“平台”）\n", {"平台": "provider"}),
    ('Welcome. Bramble Labs, Inc. (the "Company") provides this app to you, and you accept your risk.\n',
     {"Company": "provider", "Bramble Labs": "provider"}),
    ("AGREEMENT made BETWEEN BRAMBLE LABS, INC. (\"BRAMBLE\") AND ROWAN FOODS LLC (\"ROWAN\", \"CUSTOMER\").\n",
     {"BRAMBLE": "provider", "Bramble Labs": "provider", "Rowan": "customer"}),
])
def test_roles_of_defined_names(head, expected):
    from policycheck.facts.view import fold
    roles = read_party_roles(fold(head))
    assert {name: roles.role_of(name) for name in expected} == expected


@pytest.mark.parametrize("head, name", [
    ('This Agreement is made by and between Orchard Systems Ltd ("Orchard") and Pinecone Foods Inc. ("Pinecone").\n',
     "Orchard"),                                                    # no role said
    ('Our analytics are provided by Datafinch LLC ("Datafinch").\n', "Datafinch"),   # a third party
    ('Licensor: Orchard Systems Ltd ("Orchard")\nLicensee: Orchard Systems Ltd ("Orchard")\n', "Orchard"),
    ("甲方：海川物流有限公司（以下简称“海川”）\n乙方：云帆软件有限公司\n", "海川"),
    ('This Consulting Agreement is made between Bramble Labs, Inc. (the "Company") and Rowan Ellis.\n', "Company"),
])
def test_defined_name_without_a_clear_role(head, name):
    from policycheck.facts.view import fold
    roles = read_party_roles(fold(head))
    assert roles.role_of(name) is None
    # Still a party name: the slots match it (a name that is no slot word through its mark), and
    # it stands for no role.
    marked = roles.marked(f"{name} may act")
    assert roles.role_of(marked[:len(name)]) is None
    assert (marked == f"{name} may act") == (name == "Company")


def test_defined_terms_that_are_no_parties():
    roles = read_party_roles('This Agreement (the "Agreement") covers the hosting services (the "Services").\n')
    assert roles.names == {} and roles.marked("The Services may change.") == "The Services may change."


def test_marks_keep_positions_and_case():
    roles = read_party_roles('Northwind Cloud Ltd ("Northwind", "we")\n')
    text = "Then Northwind may act; northwind is a wind; NORTHWIND may too."
    marked = roles.marked(text)
    assert len(marked) == len(text)
    assert roles.role_of(marked[5:14]) == "provider" and marked[5:14] != "Northwind"
    assert "northwind is" in marked                                  # a lower-case word is no name
    upper = text.index("NORTHWIND")
    assert roles.role_of(marked[upper:upper + 9]) == "provider"
