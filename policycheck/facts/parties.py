"""Who is the provider and who the customer: party roles read from a document's definitions.

Business contracts name their parties once at the top ("甲方（委托方）：某某公司", "乙方（服务
提供方）：……", "委托方：某某公司（以下简称"甲方"）", "Party A (the "Customer"): ...", or in a recital: "甲方委托
乙方开发……") and then
speak only of 甲方 and 乙方. Which of them is the provider depends on the contract, so a rule
cannot assume it. Rules refer to the parties through three slots:

  {party}      any party name; as a value it reads as that party's role (customer | provider)
  {customer}   a party name that stands for the customer in this document
  {provider}   a party name that stands for the provider in this document

Role words (用户, 客户, 服务方, 受托方, Customer, Provider ...) carry their role wherever they
appear; party letters (甲方, 乙方, Party A ...) get theirs from the document's definitions. A
letter whose definition gives no role, or contradictory ones, has none: a fact that depends on
it is not produced rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policycheck.patternstore import compile_pattern

CUSTOMER, PROVIDER = "customer", "provider"
ROLE_SLOTS = ("party", CUSTOMER, PROVIDER)


_SAME_LETTER = {"甲方": "party a", "乙方": "party b"}
_OTHER_LETTER = {"甲方": "乙方", "乙方": "甲方", "party a": "party b", "party b": "party a"}

# Role words, longest first where one contains another (服务提供方 before 提供方).
_ROLE_WORDS = {
    CUSTOMER: ("委托方", "委託方", "委托人", "委託人", "用户", "用戶", "客户", "客戶", "需方",
               "采购方", "採購方", "买方", "買方", "订购方", "訂購方", "使用方", "发包方", "發包方",
               "您"),
    PROVIDER: ("服务提供方", "服務提供方", "服务提供者", "服務提供者", "服务提供商", "服務提供商",
               "服务方", "服務方", "服务商", "服務商", "提供方", "供方", "供应方", "供應方", "供应商",
               "供應商", "受托方", "受託方", "受托人", "受託人", "卖方", "賣方", "承接方", "开发方",
               "開發方", "承包方"),
}
_EN_ROLE_WORDS = {
    CUSTOMER: ("Customer", "Client", "Buyer", "Purchaser", "Licensee", "Subscriber"),
    PROVIDER: ("Service Provider", "Provider", "Supplier", "Vendor", "Seller", "Licensor", "Contractor"),
}

# The names a role slot matches: every role word and party letter.
ALIAS_PATTERN = "|".join(re.escape(word) for word in sorted(
    {w for words in _ROLE_WORDS.values() for w in words} | {"甲方", "乙方", "丙方"}, key=len, reverse=True)) \
    + r"|Party\s+[AB](?![A-Za-z])"

_CUE_WORDS = sorted(((word, role) for role, words in _ROLE_WORDS.items() for word in words if word != "您"),
                    key=lambda item: len(item[0]), reverse=True)
_CUE = compile_pattern("|".join(re.escape(word) for word, _ in _CUE_WORDS))
_EN_CUE = compile_pattern(r"\b(?:" + "|".join(re.escape(w) for ws in _EN_ROLE_WORDS.values() for w in ws) + r")\b",
                     re.IGNORECASE)
_CUE_ROLE = {word: role for word, role in _CUE_WORDS}
_CUE_ROLE.update({word.lower(): role for role, words in _EN_ROLE_WORDS.items() for word in words})

_NUMBERING = r"[ \t　]*(?:(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．][ \t　]*))?"
# "甲方（委托方）：某某公司" / "Party A (the "Customer"): ..." : the letter opens the line and is
# followed at once by a bracket or a colon; the rest of the line may hold the role.
_LETTER_FIRST = compile_pattern(
    rf"^{_NUMBERING}(?P<letter>甲方|乙方|丙方|Party\s+[AB]\b)[ \t　]*(?=[（(：:,，])(?P<rest>[^\n]{{0,80}})",
    re.MULTILINE | re.IGNORECASE)
# "委托方：某某公司（以下简称"甲方"）" / "Acme Ltd. (the "Customer" or "Party A")": the naming
# words within the first 80 characters of a line, the line's start before them holding the role.
# The class of their first characters in front lets a search reject most places with one test.
_NAMED_LATER = compile_pattern(
    r"(?=[简簡下hr])(?:简称|簡稱|下称|下稱|hereinafter|referred\s+to\s+as)[ \t　]*(?:as[ \t]+)?"
    r"[\"“”「『'‘]?(?:the[ \t]+)?(?P<letter>甲方|乙方|丙方|Party\s+[AB]\b)",
    re.IGNORECASE)
_NAMED_WITHIN = 80
# A recital that says who engages whom: "甲方委托乙方开发……" (the one who engages is the customer).
_ENGAGES = compile_pattern(r"(?P<customer>甲方|乙方)(?:同意|拟|擬|特|现|現)?(?:委托|委託)(?P<provider>甲方|乙方)")
_FIRST_LINES = 60


@dataclass(frozen=True)
class PartyRoles:
    """The role of each party name the document defines; role words need no definition."""

    letters: dict

    def role_of(self, name: str) -> str | None:
        key = _key(name)
        if key in self.letters:
            return self.letters[key]
        return _CUE_ROLE.get(name) or _CUE_ROLE.get(name.lower()) or (CUSTOMER if name == "您" else None)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).lower()


def _role_in(text: str) -> str | None:
    """The role the first role word of a definition names."""
    match = _CUE.search(text) or _EN_CUE.search(text)
    return _CUE_ROLE.get(match.group(0)) or _CUE_ROLE.get(match.group(0).lower()) if match else None


def _named_later(head: str) -> Iterator[tuple[str, str]]:
    """(start of line, letter) for each line that names a party within its first 80 characters;
    the first naming of a line counts, as the one regex
    ``^(?P<head>[^\\n]{0,80}?)<naming>`` (MULTILINE) would find it. Searching for the naming
    words and then looking back to the line start costs half of that regex, which tried the
    naming alternation at each of the first 80 places of every line."""
    position = 0
    while (match := _NAMED_LATER.search(head, position)) is not None:
        at = match.start()
        line_start = head.rfind("\n", 0, at) + 1
        if at - line_start <= _NAMED_WITHIN:
            yield head[line_start:at], match.group("letter")
            # One naming per line: go on at the line after the naming's end, which may be a
            # later line than its start ("referred to\nas Party A").
            position = head.find("\n", match.end()) + 1
        else:
            position = head.find("\n", at) + 1
        if position == 0:
            return


def read_party_roles(text: str) -> PartyRoles:
    """Party letters and their roles, from the definitions among the document's first lines."""
    head = "\n".join(text.split("\n", _FIRST_LINES)[:_FIRST_LINES])
    found: dict[str, set] = {}
    for match in _LETTER_FIRST.finditer(head):
        roles = found.setdefault(_key(match.group("letter")), set())
        role = _role_in(match.group("rest"))
        if role:
            roles.add(role)
    for line_head, letter in _named_later(head):
        roles = found.setdefault(_key(letter), set())
        role = _role_in(line_head)
        if role:
            roles.add(role)
    for match in _ENGAGES.finditer(head):
        if match.group(CUSTOMER) != match.group(PROVIDER):
            found.setdefault(match.group(CUSTOMER), set()).add(CUSTOMER)
            found.setdefault(match.group(PROVIDER), set()).add(PROVIDER)
    if any(len(roles) > 1 for roles in found.values()):
        return PartyRoles({})       # the document contradicts itself: trust none of it
    letters = {letter: next(iter(roles)) for letter, roles in found.items() if roles}
    # Two parties: when one letter's role is known, the other defined letter has the other one.
    for letter, other in _OTHER_LETTER.items():
        if letter in letters and other in found and other not in letters and not found[other]:
            letters[other] = PROVIDER if letters[letter] == CUSTOMER else CUSTOMER
    # A bilingual contract's Party A is its 甲方.
    for chinese, english in _SAME_LETTER.items():
        if chinese in letters and english not in letters:
            letters[english] = letters[chinese]
        elif english in letters and chinese not in letters:
            letters[chinese] = letters[english]
    # Two letters with one role leave no way to tell them apart.
    for letter, other in _OTHER_LETTER.items():
        if letters.get(letter) and letters.get(letter) == letters.get(other):
            del letters[letter], letters[other]
    return PartyRoles(letters)
