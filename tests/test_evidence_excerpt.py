"""The sentence around a quote, carried on each evidence span for reports (HTML, Markdown)."""

from __future__ import annotations

from policycheck.document.load import document_from_text
from policycheck.document.model import Document, Span, excerpt_around


def _span(text: str, quote: str):
    document = document_from_text(text, "c.txt")
    start = document.text.index(quote)
    return document.span(start, start + len(quote))


def test_english_sentence_around_the_quote():
    text = ("4. Term\n4.1 This agreement runs for one year. Either party may end it with thirty (30)\n"
            "days' notice in writing. Fees are due monthly.\n")
    span = _span(text, "thirty (30)\ndays' notice")
    assert (span.before, span.text, span.after) == (
        "Either party may end it with ", "thirty (30) days' notice", " in writing.")


def test_chinese_sentence_around_the_quote():
    text = "第五条 数据\n5.1 合同终止后,乙方应在三十日内删除甲方数据。甲方可随时导出数据。\n"
    span = _span(text, "三十日内删除")
    assert (span.before, span.after) == ("合同终止后,乙方应在", "甲方数据。")


def test_long_sentence_is_cut_at_a_space_and_marked():
    words = " ".join(f"word{n}" for n in range(200))
    text = f"Intro. {words} the notice period is ninety days {words} end.\n"
    span = _span(text, "ninety days")
    assert span.before.startswith("...word") and span.before.endswith("the notice period is ")
    assert span.after.startswith(" word0 ") and span.after.endswith("...")
    assert len(span.before) <= 205 and len(span.after) <= 205


def test_without_segmentation_stops_at_sentence_end_and_blank_line():
    text = "Title\n\nFirst sentence. Data is deleted after 60 days unless kept; later text.\n\nNext."
    start = text.index("after 60 days")
    assert excerpt_around(text, start, start + len("after 60 days")) == (
        "Data is deleted ", " unless kept;")
    text = "Heading line\n\nData goes after 60 days\n\nOther paragraph"
    start = text.index("after 60 days")
    assert excerpt_around(text, start, start + len("after 60 days")) == ("Data goes ", "")


def test_context_does_not_change_identity_or_the_json_shape():
    plain = Span(3, 1, 3, 9, "the text")
    with_context = Span(3, 1, 3, 9, "the text", before="before ", after=" after")
    assert plain == with_context and hash(plain) == hash(with_context)
    assert with_context.as_dict() == {"line": 3, "column": 1, "end_line": 3, "end_column": 9, "text": "the text"}


def test_document_without_segments_still_gets_context():
    document = Document("c.txt", "Intro. The seat of arbitration is Paris. Next one.")
    start = document.text.index("seat")
    span = document.span(start, start + len("seat of arbitration is Paris"))
    assert (span.before, span.after) == ("The ", ".")


def test_span_given_its_sentence_equals_span_that_finds_it():
    text = ("1. Data\nThe Provider shall delete Customer Data within thirty (30) days after termination. "
            "Backups are kept\nfor ninety days.\n\n第二条 合同终止后，乙方应在三十日内删除数据。甲方可随时导出。\n")
    document = document_from_text(text, "c.txt")
    assert len(document.segments) >= 4
    for segment in document.segments:
        for start, end in ((segment.start, segment.end), (segment.start + 2, segment.end - 3),
                           (segment.end - 1, segment.end)):
            found, given = document.span(start, end), document.span(start, end, segment)
            assert (given, given.before, given.after) == (found, found.before, found.after)
