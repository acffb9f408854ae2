"""Text in a language policycheck does not read.

policycheck reads English and Chinese. A sentence in another language (a German annex, a French
quotation, a Russian privacy notice) is read as English by the segmenter and yields no fact: its
silence would look like a contract that says nothing. This module finds such sentences, so that
the rules they leave undecided say ``unread`` (findings/unread.py) instead of passing or
reporting "missing".

A sentence is in another language when

- most of its letters are of another script than Latin and Chinese (Cyrillic, Greek, Arabic,
  Hebrew, Japanese kana, Hangul, Thai, Devanagari, ...), or
- it is written in Latin letters and its small words are those of another language: at least
  three different function words of another language (German, French, Spanish, Italian, Dutch,
  Portuguese, the Nordic languages, Polish, Czech, Romanian, Hungarian, Finnish, Turkish,
  Indonesian, ...), more than twice as many as English ones and at least one word in seven;
  or, in a short sentence with no English function word at all, two of them and a letter
  English does not use ("Sujet à modification sans préavis").

Near misses that stay English: a Latin phrase or a foreign name in an English sentence ("inter
alia", "force majeure", "Banco de la Nación"), an address line ("Rue de la Paix 12, Paris": no
accent, too few function words), a fragment too short to tell ("British Columbia, Canada.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycheck.document.model import Document, Segment, Span

# Function words of English: articles, prepositions, pronouns, auxiliaries and modals.
_ENGLISH = frozenset("""
the of and to in a an is are was were be been being that this these those for by with or on as
it its from at have has had which who whom whose not no any all such their our your you we they
he she his her may shall will would can could must should if under upon into than then there
""".split())

# Function words of languages written in Latin letters: German, French, Spanish, Italian, Dutch,
# Portuguese, Catalan, Swedish, Danish, Norwegian, Polish, Czech, Romanian, Hungarian, Finnish,
# Turkish, Indonesian. A word that is also an English word (in, a, as, an, on, no, or, so, do,
# die, per, den, son, till, van, care, pro) is left out, and so is a single letter ("y", "u",
# "i", "w": list markers), and "ve", which a split "we've" leaves: each would count for both sides.
_OTHER = frozenset("""
der das und ist nicht mit dem des ein eine einer eines einem zu von auf für sich auch werden wird
sind wir sie ihr ihre ihren oder bei nach aus über unter kann können durch wenn dass daß noch nur
um wie wurde haben hat sowie gemäß zur zum im vom beim uns unser unsere unserer unseren ihnen
diese dieser dieses diesem diesen kein keine jede jeder jedes sein seine ob als
le la les et est une du au aux pour dans par sur avec pas ne que qui vous nous sont ce cette ces
votre vos notre nos être ou sans à été leur leurs elle ils dont aussi peut sous selon
el los las del es una por con para se su sus al lo como más pero sin usted ser está este esta
estos estas puede sobre entre cuando
il gli della delle dei degli di è sono alla questo questa sul nel nella non che ai dal
het een zijn wij uw niet voor op aan deze door bij naar ook worden wordt onze
os da dos das de é um não em na seu sua você nós pelo pela ao às
els amb aquest aquesta
och att det som är för med på av inte eller vi har kan ska
og ikke af jeg vil skal blir bliver
się nie że jest oraz lub przez dla od jak są może przy tym tylko jego jej czy czym
je nebo jsou jako který které
și în cu nu sau este sunt pentru prin iar orice acest această acești
és az hogy nem vagy egy
ja ei tai että ovat kanssa jos mutta
bir bu ile için olarak veya değil
yang dan dari untuk dengan atau tidak ini itu kami anda akan dapat
""".split())

_WORD = re.compile(r"[^\W\d_]+")


def _forms(words: frozenset[str], upper: bool) -> frozenset[str]:
    """``words`` lower-case and capitalised (and in capitals when ``upper``): a foreign word in
    capitals is an abbreviation ("NE" north-east, "IL" Illinois, "DES")."""
    return frozenset(form for word in words for form in (word, word.capitalize(), *((word.upper(),) if upper else ())))


_ENGLISH_FORMS = _forms(_ENGLISH, upper=True)
_FOREIGN_FORMS = _forms(_OTHER, upper=False)
# Letters of scripts other than Latin and Chinese characters: Greek, Cyrillic, Armenian, Hebrew,
# Arabic, Devanagari to Thai, Georgian, Hangul, kana.
_KANA_LETTERS = "\u3040-\u30ff"
_OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff"
                           f"\u0900-\u0e7f\u10a0-\u10ff\u1100-\u11ff{_KANA_LETTERS}\uac00-\ud7af]+")
_KANA = re.compile(f"[{_KANA_LETTERS}]+")
# Latin letters with marks that English words do not carry.
_MARKED_LATIN = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")

UNREAD_SCRIPTS = ("latin", "other")
_PROSE_SHARE = 7             # at least one word in this many is a function word in prose
_MIN_SCRIPT_LETTERS = 6      # fewer letters of another script: a stray name, not a sentence


@dataclass(frozen=True)
class UnreadText:
    """A run of sentences in a language policycheck does not read."""

    evidence: Span
    script: str               # "latin" (a language other than English) or "other" (another script)

    def as_dict(self) -> dict:
        return {"script": self.script, "evidence": self.evidence.as_dict()}


def language_not_read(text: str) -> str | None:
    """``"other"`` when ``text`` is mostly in another script, ``"latin"`` when it is written in
    Latin letters in a language other than English, else None."""
    # Most sentences are English and hold at most one function word of another language: a
    # scan for other scripts (only in text beyond ASCII) and one set intersection settle them.
    ascii_only = text.isascii()
    if not ascii_only:
        other_script = sum(map(len, _OTHER_SCRIPT.findall(text)))
        if other_script >= _MIN_SCRIPT_LETTERS:
            letters = sum(map(len, _WORD.findall(text)))
            # Chinese is never written with kana: Japanese heavy with kanji still holds a fifth.
            if other_script * 2 >= letters or sum(map(len, _KANA.findall(text))) * 5 >= letters:
                return "other"
    words = _WORD.findall(text)
    # Set operations run in C: most sentences share fewer than two words with the foreign list.
    distinct = {word.lower() for word in _FOREIGN_FORMS.intersection(words)}
    if len(distinct) < 2:
        return None
    foreign = sum(word in _FOREIGN_FORMS for word in words)
    english = sum(word in _ENGLISH_FORMS for word in words)
    count = len(words)
    # Function words are a good part of any prose: a table of names and places that holds a
    # few ("Des Moines") is no sentence in another language.
    if len(distinct) >= 3 and foreign > 2 * english and foreign * _PROSE_SHARE >= count:
        return "latin"
    if not english and 4 <= count <= 12 and not ascii_only and _MARKED_LATIN.search(text):
        return "latin"
    return None


def unread_text(document: Document) -> tuple[list[UnreadText], frozenset[int]]:
    """The runs of consecutive sentences of ``document`` in a language policycheck does not read,
    and the indices of those sentences (``Document.languages_except`` leaves them out)."""
    runs: list[tuple[Segment, Segment, str]] = []
    left_out: set[int] = set()
    text = document.text
    for index, segment in enumerate(document.segments):
        script = language_not_read(text[segment.start:segment.end])
        if script is None:
            continue
        if runs and index - 1 in left_out and runs[-1][2] == script:
            runs[-1] = (runs[-1][0], segment, script)
        else:
            runs.append((segment, segment, script))
        left_out.add(index)
    return ([UnreadText(document.span(first.start, last.end, first), script) for first, last, script in runs],
            frozenset(left_out))
