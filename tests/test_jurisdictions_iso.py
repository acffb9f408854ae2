"""Every jurisdiction of ISO 3166 is read from a governing-law sentence, and near misses are not.

The expectations come from the standard's own rows (iso3166.json): each ISO 3166-1 country by
its short name, its official name and its Chinese name, each US state, Canadian province and
territory and Chinese province-level division by its name, gets the row's code. The few
documented exceptions are asserted as such:

- "Georgia" alone is the US state (US-GA); the country is read from "the Republic of Georgia"
  or a pair such as "Tbilisi, Georgia".
- The four Chinese municipalities are cities: CN with the city as place, like every mainland
  court or arbitration seat (docs/policy-language.md).
- ISO writes Taiwan's names as "Taiwan, Province of China"; contracts write "Taiwan" (TW).
"""

from __future__ import annotations

import re

import pytest

from policycheck.document.load import document_from_text
from policycheck.facts.engine import extractor
from policycheck.values.jurisdictions import contains, iso_data, is_known_code, table

EN_SENTENCE = "This Agreement is governed by the laws of {}."
ZH_SENTENCE = "本协议适用{}法律。"


def _natural(name: str) -> str:
    """How a contract writes an ISO name: 'Korea, Republic of' -> 'Republic of Korea'."""
    name = re.sub(r"\s*\([^)]*\)", "", name).split(" [")[0].strip()
    head, comma, tail = name.partition(", ")
    if comma and "," not in tail and (tail.endswith(("of", "of the")) or len(tail.split()) == 1):
        name = f"{tail} {head}"
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _read_all(sentences: list[str]) -> list[tuple[str, str | None]]:
    """The governing_law of each sentence, read from one document with a sentence a paragraph."""
    text = "\n\n".join(sentences) + "\n"
    facts = extractor().extract(document_from_text(text)).facts
    by_line: dict[int, list] = {}
    for fact in facts:
        if fact.name == "governing_law":
            by_line.setdefault(fact.evidence.line, []).append(fact)
    results = []
    for index, sentence in enumerate(sentences):
        found = by_line.get(2 * index + 1, [])
        place = found[0].qualifiers.get("place") if found else None
        results.append((found[0].value.literal() if found else None, place))
    return results


def _country_cases() -> list[tuple[str, str]]:
    cases = []
    for code, name, official, common, zh, zh_official, zh_common, _alpha3 in iso_data()["countries"]:
        english = {_natural(n) for n in (name, official, common) if n}
        if code == "TW":
            english = {"Taiwan"}
        for form in sorted(english):
            cases.append((EN_SENTENCE.format(form), "US-GA" if form == "Georgia" else code))
        for form in sorted({n for n in (zh, zh_official, zh_common) if n}):
            cases.append((ZH_SENTENCE.format(form), code))
    return cases


def test_every_iso_country_is_read_by_its_english_and_chinese_names():
    cases = _country_cases()
    results = _read_all([sentence for sentence, _ in cases])
    wrong = [(sentence, expected, got) for (sentence, expected), (got, _) in zip(cases, results) if got != expected]
    assert not wrong, f"{len(wrong)} of {len(cases)} sentences misread: {wrong[:20]}"
    assert len(cases) >= 249 * 2          # 249 countries, each in English and in Chinese at least


SUBDIVISION_FORMS = {
    "US": ["the State of {}", "{}"],
    "CA": ["the Province of {}", "{}"],
    "AU": ["the State of {}", "{}"],
}


def _subdivision_cases() -> list[tuple[str, str, str | None]]:
    cases = []
    for code, name, kind, parent, zh in iso_data()["subdivisions"]:
        country = code.split("-")[0]
        if country in SUBDIVISION_FORMS and not parent:
            if kind == "Outlying area":
                continue          # also ISO 3166-1 countries (PR, GU, ...): read as those
            if code == "US-DC":
                cases.append((EN_SENTENCE.format("the District of Columbia"), code, None))
                continue
            for form in SUBDIVISION_FORMS[country]:
                cases.append((EN_SENTENCE.format(form.format(_natural(name))), code, None))
            if zh:
                cases.append((ZH_SENTENCE.format(zh), code, None))
        if country == "CN" and code not in ("CN-HK", "CN-MO", "CN-TW"):
            if kind == "Municipality":
                city = name.removesuffix(" Shi")
                cases.append((EN_SENTENCE.format(city), "CN", city))
                cases.append((ZH_SENTENCE.format(zh), "CN", city))
            else:
                short = re.sub(r"\s+(Sheng|(Zhuangzu\s+|Huizu\s+|Uygur\s+)?Zizhiqu)$", "", name)
                cases.append((EN_SENTENCE.format(f"{short} Province" if kind == "Province" else short), code, None))
                if zh:
                    cases.append((ZH_SENTENCE.format(zh), code, None))
    return cases


def test_every_us_state_canadian_province_and_chinese_province_is_read():
    cases = _subdivision_cases()
    results = _read_all([sentence for sentence, _, _ in cases])
    wrong = [(sentence, (code, place), got) for (sentence, code, place), got in zip(cases, results)
             if got != (code, place)]
    assert not wrong, f"{len(wrong)} of {len(cases)} sentences misread: {wrong[:20]}"
    assert len(cases) >= 51 * 2 + 13 * 2 + 8 * 2 + 31 * 2


# A Chinese sentence that keeps a state's English name writes its country and kind word round it.
_ZH_COUNTRY_AND_KIND = {"US": ("美国", "州"), "CA": ("加拿大", "省"), "AU": ("澳大利亚", "州")}


def test_english_state_names_inside_chinese_sentences():
    cases = []
    for code, name, kind, parent, _ in iso_data()["subdivisions"]:
        country = code.split("-")[0]
        if country in _ZH_COUNTRY_AND_KIND and not parent and kind != "Outlying area" and code != "US-DC":
            prefix, kind_word = _ZH_COUNTRY_AND_KIND[country]
            english = _natural(name)
            cases += [(f"本协议受{english}{kind_word}法律管辖。", code),
                      (f"本协议受{prefix}{english}{kind_word}法律管辖。", code),
                      (f"本协议适用{prefix}的 {english} {kind_word}法律。", code)]
    results = _read_all([sentence for sentence, _ in cases])
    wrong = [(sentence, code, got) for (sentence, code), (got, _) in zip(cases, results) if got != code]
    assert not wrong, f"{len(wrong)} of {len(cases)} sentences misread: {wrong[:20]}"
    assert len(cases) == (50 + 13 + 8) * 3


@pytest.mark.parametrize("sentence", [
    "本协议受France州法律管辖。",          # a country is never written with a state's kind word
    "本协议受Springfield州法律管辖。",      # no such state
])
def test_an_english_name_with_a_kind_word_that_names_no_state_gives_no_value(sentence):
    assert _read_all([sentence]) == [(None, None)]


@pytest.mark.parametrize("sentence, code", [
    ("This Agreement is governed by the laws of the Federal Republic of Germany.", "DE"),
    ("This Agreement is governed by the laws of the Grand Duchy of Luxembourg.", "LU"),
    ("This Agreement is governed by the laws of the Republic of Singapore.", "SG"),
    ("This Agreement is governed by Austrian law.", "AT"),
    ("This Agreement is governed by the laws of the Republic of Georgia.", "GE"),
    ("This Agreement is governed by the laws of Korea.", "KR"),
    ("This Agreement is governed by the laws of the Commonwealth of Virginia.", "US-VA"),
    ("This Agreement is governed by the laws of Nevada, USA.", "US-NV"),
    ("This Agreement is governed by the laws of Victoria, Australia.", "AU-VIC"),
    # Federal and state law in one phrase, an aside between them: the state.
    ("This Agreement is governed by the laws of the United States and, where federal law does not "
     "apply, by the laws of the State of Oregon.", "US-OR"),
    ("This Agreement is governed by federal law of the United States and, to that extent, the laws of Maine.",
     "US-ME"),
    # Another country after the aside is no state of the union: the federal law alone.
    ("This Agreement is governed by the laws of the United States and, where applicable, Canada.", "US"),
    ("本协议适用美国加利福尼亚州法律。", "US-CA"),
    ("本协议适用德意志联邦共和国法律。", "DE"),
    ("本协议适用中华人民共和国香港特别行政区法律。", "HK"),
    # 的 between the country and its state; a state's type word ISO's Chinese name leaves out.
    ("本协议适用美国的加利福尼亚州法律。", "US-CA"),
    ("本合同受澳大利亚新南威尔士州法律管辖。", "AU-NSW"),
    ("本合同受德国巴伐利亚州法律管辖。", "DE-BY"),
    # The names Taiwan and Hong Kong give some states, and the short names of the regions.
    ("本協議受美國德拉瓦州法律管轄。", "US-DE"),
    ("本協議受維吉尼亞州法律管轄。", "US-VA"),
    ("本協議受西維吉尼亞州法律管轄。", "US-WV"),
    ("本協議受喬治亞州法律管轄。", "US-GA"),
    ("本協議受賓州法律管轄。", "US-PA"),
    ("本协议受香港特区法律管辖。", "HK"),
    ("本協議受澳門特區法律管轄。", "MO"),
])
def test_official_and_compound_forms(sentence, code):
    assert _read_all([sentence]) == [(code, None)]


@pytest.mark.parametrize("sentence", [
    "Supplier, a Delaware corporation, shall deliver the goods within ten days.",
    "The Licensee is a company incorporated under the laws of Jersey.",
    "This Agreement is written in English, and the English text prevails.",
    "The Consultant is an Israeli citizen resident in Haifa.",
    "Notices go to 100 Main Street, Austin, Texas, to the attention of the General Counsel.",
    "供应商注册于开曼群岛,主要办公地点位于深圳。",
    "双方在广州签署本合同，合同的内容以美国的用户协议为参照。",
    "This Agreement is governed by the United States Trademark Act as to the marks.",
])
def test_near_misses_name_no_governing_law(sentence):
    assert _read_all([sentence]) == [(None, None)]


@pytest.mark.parametrize("sentence, code", [
    ("This Agreement is governed by the laws of Indiana.", "US-IN"),
    ("This Agreement is governed by the laws of India.", "IN"),
    ("This Agreement is governed by the laws of New Jersey.", "US-NJ"),
    ("This Agreement is governed by the laws of Jersey.", "JE"),
    ("This Agreement is governed by the laws of the State of Georgia.", "US-GA"),
])
def test_names_inside_other_names(sentence, code):
    assert _read_all([sentence]) == [(code, None)]


def test_every_iso_code_is_a_policy_literal():
    countries = [row[0] for row in iso_data()["countries"]]
    subdivisions = [row[0] for row in iso_data()["subdivisions"] if row[0] not in ("CN-HK", "CN-MO", "CN-TW")]
    assert len(countries) == 249 and len(subdivisions) > 5000
    assert all(is_known_code(code) for code in countries + subdivisions)
    assert not any(is_known_code(code) for code in ("CN-HK", "CN-MO", "CN-TW", "XX", "US-ZZ"))


@pytest.mark.parametrize("outer, inner, expected", [
    ("CN", "CN-GD", True), ("US", "US-CA", True), ("DE", "DE-BY", True), ("GB-ENG", "GB-LND", True),
    ("GB", "GB-LND", True), ("GB-EAW", "GB-LND", True), ("EU", "FR-75C", True), ("CN", "HK", False),
    ("US-CA", "US", False), ("EU", "NO", False), ("EEA", "NO", True), ("GB-SCT", "GB-LND", False),
])
def test_containment_follows_the_standard(outer, inner, expected):
    assert contains(outer, inner) is expected


def test_groups_are_data():
    assert table().groups["EU"] < table().groups["EEA"]
