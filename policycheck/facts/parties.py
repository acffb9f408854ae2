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

Names work the same way. A party named and defined at the top or in a recital, `Acme Cloud Ltd
("Acme", "we", "us")`, `Northwind Inc. (the "Company")`, `between X ("Licensor") and Y
("Licensee")`, "These Terms are between you and Acme", `某某有限公司（以下简称"本公司"或"我们"）`,
gets the role of the role words defined with it (Licensor, Supplier, we -> provider; Customer,
Licensee, you -> customer), of the label of its line ("Supplier: ..."), or, in a recital
between two parties, the other role than the party whose role is known. The pronouns and a few
words carry a role without a definition (we, us, the Company, 本公司, 我们, 本平台: the
provider; 您: the customer) unless the document defines them otherwise. A name defined with
contradictory roles has none; so has a name defined with no role (a third party such as an
analytics vendor): a rule that names a party cannot tell who acts, and gives nothing.

A defined name is matched by the slots through :meth:`PartyRoles.marked`: before a pattern with a
party slot runs on a sentence, each defined name in it is overwritten, character for character,
with a mark of its role, so positions stay those of the sentence and the slot's regex (fixed at
compile time) matches the marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policycheck.patternstore import compile_pattern

CUSTOMER, PROVIDER = "customer", "provider"
ROLE_SLOTS = ("party", CUSTOMER, PROVIDER)


_SAME_LETTER = {"甲方": "party a", "乙方": "party b"}
_OTHER_LETTER = {"甲方": "乙方", "乙方": "甲方", "party a": "party b", "party b": "party a"}

# Role words, longest first where one contains another (服务提供方 before 提供方).
_ROLE_WORDS = {
    CUSTOMER: ("委托方", "委託方", "委托人", "委託人", "用户", "用戶", "客户", "客戶", "需方",
               "采购方", "採購方", "买方", "買方", "订购方", "訂購方", "使用方", "发包方", "發包方",
               "使用者", "会员", "會員", "您"),
    PROVIDER: ("服务提供方", "服務提供方", "服务提供者", "服務提供者", "服务提供商", "服務提供商",
               "服务方", "服務方", "服务商", "服務商", "提供方", "供方", "供应方", "供應方", "供应商",
               "供應商", "受托方", "受託方", "受托人", "受託人", "卖方", "賣方", "承接方", "开发方",
               "開發方", "承包方", "运营方", "運營方", "运营者", "運營者"),
}
_EN_ROLE_WORDS = {
    CUSTOMER: ("Customer", "Client", "Buyer", "Purchaser", "Licensee", "Subscriber"),
    PROVIDER: ("Service Provider", "Provider", "Supplier", "Vendor", "Seller", "Licensor", "Contractor"),
}

# A defined name, overwritten in the sentence by the mark of its role (one mark per character).
_MARK = {PROVIDER: "\ue010", CUSTOMER: "\ue011", None: "\ue012"}
_MARK_ROLE = {mark: role for role, mark in _MARK.items()}
# Words that stand for a party without a definition, unless the document defines them.
_DEFAULT_ROLE = {"您": CUSTOMER, "we": PROVIDER, "us": PROVIDER, "you": CUSTOMER, "company": PROVIDER,
                 "本公司": PROVIDER, "我们": PROVIDER, "本平台": PROVIDER}
# English words the slots match as written (capitalised, or all capitals): role words and "we".
# "you" and "user" are left to rules to spell: "prohibit you from" is no party acting.
_EN_SLOT_WORDS = sorted({w for words in _EN_ROLE_WORDS.values() for w in words} | {"Company", "We"},
                        key=len, reverse=True)

# The names a role slot matches: every role word and party letter, and the marks of defined names.
ALIAS_PATTERN = "|".join(re.escape(word) for word in sorted(
    {w for words in _ROLE_WORDS.values() for w in words} | {"甲方", "乙方", "丙方", "本公司", "我们", "本平台"},
    key=len, reverse=True)) \
    + r"|Party\s+[AB](?![A-Za-z])" \
    + "|" + "|".join(f"{mark}+" for mark in _MARK.values()) \
    + r"|(?<![A-Za-z])(?-i:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") + "|" + re.escape(w.upper()).replace(r"\ ", r"\s+")
                                       for w in _EN_SLOT_WORDS) + r"|we|us)(?![A-Za-z])"
# Behind a lookahead on the names' first characters, a search rejects most places at one test.
_NAME_STARTS = {w[0] for words in _ROLE_WORDS.values() for w in words} | set("甲乙丙本我Ppwu") \
    | set(_MARK.values()) | {w[0] for w in _EN_SLOT_WORDS} | {w[0].lower() for w in _EN_SLOT_WORDS}
ALIAS_PATTERN = "(?=[" + "".join(sorted(_NAME_STARTS)) + "])(?:" + ALIAS_PATTERN + ")"

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
# "委托方（甲方）：某某公司" / "Customer (Party A): ...": the role opens the line, the letter
# follows it in brackets, then the colon.
_ROLE_FIRST = compile_pattern(
    rf"^{_NUMBERING}(?P<role>[^\s:：()（）]{{1,12}})[ \t　]*[（(](?P<letter>甲方|乙方|丙方|Party\s+[AB])[)）][ \t　]*[：:]",
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
_YOU = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)

# Words a party slot matches as they are, and pronouns: never overwritten by a mark.
_SLOT_WORD = "|".join(re.escape(w.lower()) for w in sorted(
    {w for words in _EN_ROLE_WORDS.values() for w in words}, key=len, reverse=True)) \
    + r"|we|us|our|you|your|i|me|company|party [ab]|甲方|乙方|丙方|本公司|我们|本平台|您|你"
_PRONOUN_ROLE = {"we": PROVIDER, "us": PROVIDER, "our": PROVIDER, "you": CUSTOMER, "your": CUSTOMER,
                 "本公司": PROVIDER, "我们": PROVIDER, "本平台": PROVIDER, "平台": PROVIDER, "本网站": PROVIDER,
                 "您": CUSTOMER, "用户": CUSTOMER}
_LETTER_NAME = re.compile(r"甲方|乙方|丙方|party\s+[abc]", re.IGNORECASE)

# -- English: `Acme Cloud Ltd ("Acme", "we", "us")`, `Northwind Inc. (the "Company")`,
# `X (hereinafter referred to as "Supplier")`. The brackets hold quoted terms and linking words only.
_EN_DEFINITION = compile_pattern(r"\((?P<body>[^()]{0,160}?[\"'][^()]{0,160}?)\)")
_QUOTED = re.compile(r"\"(?P<a>[^\"\n]{1,40})\"|(?<![A-Za-z])'(?P<b>[A-Za-z][A-Za-z .&-]{0,38})'(?![A-Za-z])")
_LINKING = frozenset("the a an hereinafter hereafter herein referred to as called collectively together jointly "
                     "individually and or each also sometimes either in this these below known and/or "
                     "respectively".split())
_SUFFIX = r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|Corp|Corporation|Co|Company|GmbH|AG|plc|PLC|LLP|LP|L\.P|S\.A|SA|B\.V|BV|Pty|S\.r\.l|SAS|Oy|AB|KK)\.?"
_DESCRIPTOR = compile_pattern(r",?\s*an?\s+[^,()\"]{0,60}?(?:corporation|company|partnership|entity|organi[sz]ation|"
                              r"business|firm|association)(?:\s+(?:organi[sz]ed|incorporated|registered|with)[^,()\"]{0,60})?,?\s*$",
                              re.IGNORECASE)
_LABEL = compile_pattern(r"[ \t]*(?:[0-9]+[.)]?\s*)?(?P<label>[A-Za-z][A-Za-z ]{1,28}?)\s*:")
_BETWEEN = compile_pattern(r"\b(?:between|entered\s+into\s+by|made\s+by)\s+", re.IGNORECASE)
# The end of the recital's sentence: a full stop that ends no abbreviation ("Inc."), a semicolon,
# or an empty line.
_SENTENCE_END = compile_pattern(r"(?<!\bInc)(?<!\bLtd)(?<!\bCorp)(?<!\bCo)(?<!\bNo)(?<!\bSt)(?<!\.[A-Z])"
                                r"\.(?=\s+[A-Z\"]|\s*$)|;|\n\s*\n", re.IGNORECASE)


_NOT_NAME_START = frozenset("between and by among with from to for the this of".split())


def _legal_name(before: str) -> str | None:
    """The capitalised name that ends ``before`` ("... between Acme Cloud Ltd."), without a
    descriptor after it (", a Delaware corporation")."""
    before = _DESCRIPTOR.sub("", before.rstrip())
    tokens = before.split()
    name: list[str] = []
    while tokens and len(name) < 5:
        token = tokens[-1]
        # "Welcome! Acme LLC", "... the Services. Acme LLC": a sentence's end ends the name.
        if name and (token[-1] in "!?" or (token.endswith(".") and len(token) > 4 and
                                            not re.fullmatch(_SUFFIX, token, re.IGNORECASE))):
            break
        # "a vendor, Acme LLC": a comma ends the name, unless a company suffix follows ("Acme, Inc.").
        if token.endswith(":") or (token.endswith(",") and name and
                                   not re.fullmatch(_SUFFIX, name[0], re.IGNORECASE)):
            break
        token = token.rstrip(",")
        if token[:1].isupper() or (name and token.lower() in ("&", "and", "of", "de")):
            name.insert(0, token)
            tokens.pop()
        else:
            break
    while name and (not name[0][:1].isupper() or name[0].lower() in _NOT_NAME_START):
        name.pop(0)
    return " ".join(name) or None


# Words a document defines that are no party's name ("this Agreement (the "Agreement")").
_GENERIC = frozenset("agreement terms services service site website software product products parties party "
                     "affiliate affiliates effective date contract order schedule exhibit".split())


def _name_forms(name: str) -> list[str]:
    """A legal name and the same without its company suffix: "Acme Cloud Ltd." -> "Acme Cloud";
    nothing for a generic word or a bare suffix."""
    short = re.sub(rf"(?:,?\s+{_SUFFIX})+$", "", name.rstrip(","), flags=re.IGNORECASE).rstrip(".,")
    if not short or short.lower() in _GENERIC or re.fullmatch(_SUFFIX, short, re.IGNORECASE):
        return []
    forms = [name.rstrip(".,")]
    if short != forms[0] and short[:1].isupper():
        forms.append(short)
    return forms


def _term(quoted: str) -> str:
    """A quoted term as a name: "the Customer" -> "Customer", "we," -> "we"."""
    return re.sub(r"^(?:the|a|an)\s+", "", quoted.strip(" ,.;:"), flags=re.IGNORECASE)


def _term_role(term: str) -> str | None:
    key = _key(term)
    return _PRONOUN_ROLE.get(key) or _CUE_ROLE.get(term) or _CUE_ROLE.get(key) or \
        _CUE_ROLE.get(key.title())


def _english_definitions(head: str) -> Iterator[tuple[int, int, list[str], set]]:
    """(start, end, names, roles) of each bracket defining a party."""
    for match in _EN_DEFINITION.finditer(head):
        body = match.group("body")
        if re.search(r"[\u3400-\u9fff]", body):
            continue                # a Chinese definition (以下简称"……"): read below
        terms = [_term(q.group("a") or q.group("b")) for q in _QUOTED.finditer(body)]
        terms = [t for t in terms if t and t.lower() not in _GENERIC]
        rest = _QUOTED.sub(" ", body)
        if not terms or any(word not in _LINKING for word in re.findall(r"[A-Za-z/]+", rest.lower())):
            continue
        if any(_LETTER_NAME.fullmatch(term) for term in terms):
            continue                # a party letter: read with the letters
        roles = {role for role in map(_term_role, terms) if role}
        line_start = head.rfind("\n", 0, match.start()) + 1
        # What precedes the brackets, back to the last bracket or empty line (a name may wrap).
        before = head[max(head.rfind(")", 0, match.start()) + 1, head.rfind("\n\n", 0, match.start()) + 1,
                          match.start() - 200):match.start()]
        legal = _legal_name(before)
        label = _LABEL.match(head, line_start, match.start())
        if label and not roles:
            role = _role_in(label.group("label"))
            if role:
                roles.add(role)
        corporate = legal is not None and (re.search(rf"(?:^|\s){_SUFFIX}$", legal, re.IGNORECASE) is not None
                                           or _DESCRIPTOR.search(before.rstrip()) is not None)
        if not roles and not corporate and not any(term.lower() == "company" for term in terms):
            continue                # a defined term, not a party ("the Services")
        names = list(terms)
        if legal:
            names.extend(_name_forms(legal))
        yield match.start(), match.end(), names, roles


def _english_names(head: str) -> dict[str, set]:
    found: dict[str, set] = {}
    definitions = list(_english_definitions(head))
    # Terms that speak to "you" are the provider's: there "the Company" defined with no role (and
    # the names defined with it) is the provider.
    if any(not roles and "company" in map(str.lower, names) for _, _, names, roles in definitions) and \
            len(_YOU.findall(head)) >= 3:
        definitions = [(start, end, names, roles or ({PROVIDER} if "company" in map(str.lower, names) else roles))
                       for start, end, names, roles in definitions]
    for _, _, names, roles in definitions:
        for name in names:
            found.setdefault(_key(name), set()).update(roles)
    # A recital between two parties: "between X ("Licensor") and Y", "between you and Acme".
    for match in _BETWEEN.finditer(head):
        span_start = match.end()
        end = _SENTENCE_END.search(head, span_start, span_start + 600)
        span_end = end.start() if end else min(len(head), span_start + 600)
        sides = _two_sides(head, span_start, span_end, definitions)
        if sides is None:
            continue
        (left_names, left_roles), (right_names, right_roles) = sides
        for names, roles, other_roles in ((left_names, left_roles, right_roles), (right_names, right_roles, left_roles)):
            if not roles and len(other_roles) == 1:
                role = PROVIDER if CUSTOMER in other_roles else CUSTOMER
                for name in names:
                    found.setdefault(_key(name), set()).add(role)
    return found


def _two_sides(head: str, start: int, end: int, definitions) -> tuple | None:
    """The two parties of "between A and B": the names and roles of each side."""
    text = head[start:end]
    # The "and" between the sides: the first one outside brackets.
    depth, cut = 0, None
    for found in re.finditer(r"[()]|\band\b", text, re.IGNORECASE):
        token = found.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            cut = found
            break
    if cut is None:
        return None
    sides = []
    for side_start, side_end in ((start, start + cut.start()), (start + cut.end(), end)):
        inside = [d for d in definitions if side_start <= d[0] and d[1] <= side_end]
        if inside:
            names = [name for d in inside for name in d[2]]
            roles = set().union(*(d[3] for d in inside))
        else:
            words = head[side_start:side_end].strip()
            if re.fullmatch(r"(?:you|the user|the customer)(?:,.*)?", words, re.IGNORECASE | re.DOTALL):
                names, roles = [], {CUSTOMER}
            else:
                lead = []
                for token in words.split()[:6]:
                    if not token[:1].isupper() and token not in ("&", "of"):
                        break
                    if not lead and token.lower() in _NOT_NAME_START:
                        continue
                    lead.append(token)
                    if token.endswith(","):
                        break
                if not lead:
                    return None
                names, roles = _name_forms(" ".join(lead).rstrip(".,")), set()
        sides.append((names, roles))
    return tuple(sides)


# -- Chinese: `某某有限公司（以下简称"本公司"或"我们"）`, `乙方（服务方）：某某科技有限公司（以下简称"云端"）`.
_ZH_DEFINITION = compile_pattern(r"\((?:以下|下文|下)?(?:简称|统称|称为|称)[:：为]?(?P<body>[^()\n]{1,60})\)")
_ZH_LABEL = compile_pattern(_NUMBERING + r"(?P<label>[^\s:：()]{1,8})[ \t　]*(?:\([^()\n]{0,12}\))?[ \t　]*[:：]")
_PROVIDED_BY = re.compile(r"(?:服务|产品|软件|平台|本网站|网站)[^，。；\n]{0,6}由[^，。；\n]{0,40}$")
_PROVIDED = re.compile(r"[^，。；\n]{0,6}(?:提供|运营|经营)")
_ZH_QUOTED = re.compile(r"[\"'「『]([^\"'「」『』\n]{1,12})[\"'」』]")


def _chinese_names(head: str, letters: dict) -> dict[str, set]:
    found: dict[str, set] = {}
    on_line: dict[int, list] = {}
    for match in _ZH_DEFINITION.finditer(head):
        names = [name.strip() for name in _ZH_QUOTED.findall(match.group("body")) if name.strip()]
        names = [name for name in names if not _LETTER_NAME.fullmatch(name)]
        if not names:
            continue
        line_start = head.rfind("\n", 0, match.start()) + 1
        before = head[max(line_start, head.rfind(")", 0, match.start()) + 1):match.start()]
        # The line's label says the role ("委托方：", "甲方（服务方）：", "乙方：" with 乙方's role);
        # else the names say it themselves ("本公司", "我们").
        roles = set()
        label = _ZH_LABEL.match(head, line_start, match.start())
        if label:
            role = _role_in(label.group(0)) or letters.get(_key(label.group("label")))
            if role:
                roles.add(role)
        if not roles:
            roles = {role for role in (_PRONOUN_ROLE.get(name) or _role_in(name) or
                                       (PROVIDER if re.search(r"平台方?$", name) else None) for name in names) if role}
        if not roles and _PROVIDED_BY.search(before) and _PROVIDED.match(head, match.end()):
            # "服务由某某公司（下称"甲"）提供": the company that provides the service.
            roles = {PROVIDER}
        if not roles and not re.search(r"公司|集团|中心|银行|研究院|平台|网站|事务所|合作社|[A-Za-z]$", before):
            continue
        for name in names:
            found.setdefault(name, set()).update(roles)
        on_line.setdefault(line_start, []).append((names, roles))
    # "本协议由某某公司（下称"A"）与用户（下称"B"）缔结": of two parties named on one line, the
    # one without a role has the other role than the one with.
    for definitions in on_line.values():
        if len(definitions) == 2:
            for (names, roles), (_, other) in (definitions, definitions[::-1]):
                if not roles and len(other) == 1:
                    for name in names:
                        found[name].add(PROVIDER if CUSTOMER in other else CUSTOMER)
    return found


class PartyRoles:
    """The role of each party name the document defines; role words need no definition.

    ``letters``: party letter -> role; ``names``: defined name (lower case, spaces single) ->
    role, None when the document gives it contradictory ones, "" when none."""

    __slots__ = ("letters", "names", "_marker", "_last")

    def __init__(self, letters: dict, names: dict | None = None) -> None:
        self.letters = letters
        self.names = names or {}
        self._marker = _name_regex(self.names)
        self._last: tuple[str, str] = ("", "")

    def role_of(self, name: str) -> str | None:
        mark = _MARK_ROLE.get(name[:1], False) if name else False
        if mark is not False:
            return mark
        key = _key(name)
        if key in self.letters:
            return self.letters[key]
        role = self.names.get(key, "")
        if role != "" or key in self.names:
            return role or None     # "": defined, but not as either party
        return _CUE_ROLE.get(name) or _CUE_ROLE.get(name.lower()) or _DEFAULT_ROLE.get(key)

    def marked(self, text: str) -> str:
        """``text`` with each name the document defines overwritten by the mark of its role, one
        mark per character (positions do not move): what a party slot matches."""
        if self._marker is None:
            return text
        if self._last[0] is text:
            return self._last[1]
        result = self._marker.sub(self._mark, text)
        self._last = (text, result)
        return result

    def _mark(self, match: re.Match) -> str:
        found = match.group(0)
        if found.isascii() and not found[0].isupper():
            return found            # an English name is written capitalised
        return _MARK[self.names.get(_key(found)) or None] * len(found)


def _name_regex(names: dict) -> re.Pattern | None:
    """One regex for the defined names that are not slot words themselves."""
    english, chinese = [], []
    for name in names:
        if re.fullmatch(_SLOT_WORD, name):
            continue
        (english if name.isascii() else chinese).append(name)
    if not english and not chinese:
        return None
    parts = []
    if english:
        parts.append(r"(?<![A-Za-z0-9\ue010-\ue012])(?:" + "|".join(
            re.escape(name).replace(r"\ ", r"\s+") for name in sorted(english, key=len, reverse=True))
            + r")(?![A-Za-z0-9])")
    if chinese:
        parts.append(r"(?<!第三方)(?<!其他)(?<!其它)(?<!外部)(?<!合作)(?:" + "|".join(
            re.escape(name) for name in sorted(chinese, key=len, reverse=True)) + ")")
    return re.compile("|".join(parts), re.IGNORECASE)


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
    for match in _ROLE_FIRST.finditer(head):
        role = _role_in(match.group("role"))
        if role:
            found.setdefault(_key(match.group("letter")), set()).add(role)
    for line_head, letter in _named_later(head):
        roles = found.setdefault(_key(letter), set())
        role = _role_in(line_head)
        if role:
            roles.add(role)
    for match in _ENGAGES.finditer(head):
        if match.group(CUSTOMER) != match.group(PROVIDER):
            found.setdefault(match.group(CUSTOMER), set()).add(CUSTOMER)
            found.setdefault(match.group(PROVIDER), set()).add(PROVIDER)
    names = _english_names(head)
    # "the Company" is not the provider where the document defines another party as the provider.
    if "company" not in names and any(roles == {PROVIDER} for roles in names.values()):
        names["company"] = set()
    if any(len(roles) > 1 for roles in found.values()):
        return PartyRoles({}, _name_roles(names, _chinese_names(head, {})))   # the letters contradict each other
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
    return PartyRoles(letters, _name_roles(names, _chinese_names(head, letters)))


def _name_roles(*found: dict[str, set]) -> dict[str, str | None]:
    """name -> its one role; None for a name defined with contradictory roles, "" with none."""
    merged: dict[str, set] = {}
    for part in found:
        for name, roles in part.items():
            merged.setdefault(name, set()).update(roles)
    return {name: next(iter(roles)) if len(roles) == 1 else None if roles else "" for name, roles in merged.items()}
