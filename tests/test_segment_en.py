"""English segmentation: wrapped lines, headings, clause numbers (never quantities)."""

from __future__ import annotations

from policycheck.document import document_from_text


def _sentences(text: str) -> list[str]:
    document = document_from_text(text)
    return [" ".join(document.text[s.start:s.end].split()) for s in document.segments]


def test_a_number_in_brackets_at_a_line_end_continues_the_sentence():
    text = ("Unless either party gives written notice of non-renewal at least sixty (60)\n"
            "days before the end of the term, the subscription renews.\n")
    assert _sentences(text) == ["Unless either party gives written notice of non-renewal at least sixty (60) "
                                "days before the end of the term, the subscription renews."]


def test_a_wrapped_quantity_is_not_a_clause_number():
    text = ("If a change is material, we will notify you by email at least\n"
            "30 days before it takes effect.\n")
    assert _sentences(text) == ["If a change is material, we will notify you by email at least 30 days "
                                "before it takes effect."]


def test_clause_numbers_are_left_out_of_sentences():
    text = "4. Customer Data\n4.1 Customer owns its data.\n(a) Provider keeps backups.\nIV. Term\n"
    assert _sentences(text) == ["Customer Data", "Customer owns its data.", "Provider keeps backups.", "Term"]


def test_long_paragraph_lines_are_separate_paragraphs():
    first = "Members are expected to keep their own copies of everything they store and the operator " \
            "accepts no responsibility whatsoever for what follows if stored material disappears for any cause"
    second = "The operator is not liable for harm that a member causes to somebody else through the platform"
    assert len(first) > 130
    assert _sentences(f"{first}\n{second}\n") == [first, second]


def test_headings_are_known_to_the_sentences_below():
    document = document_from_text("5. Limitation of Liability\nNeither party is liable for indirect damages.\n")
    assert [s.heading for s in document.segments] == ["", "Limitation of Liability"]


_CUT = ("The licence is renewed by itself at the end of each year for a further term of twelve\n"
        "\n\n\n")


def test_a_sentence_cut_by_a_page_break_reads_as_one():
    text = _CUT + "   months, unless the reseller ends it by notice.\n"
    assert _sentences(text) == ["The licence is renewed by itself at the end of each year for a further term "
                                "of twelve months, unless the reseller ends it by notice."]


def test_blank_lines_still_part_what_does_not_run_on():
    # A finished sentence, a heading, and a list item after the break stay apart.
    finished = "The licence is renewed by itself at the end of each year for a further term.\n\n"
    assert len(_sentences(finished + "then the fees are due.\n")) == 2
    assert _sentences("Renewal\n\nthe licence renews each year.\n") == ["Renewal", "the licence renews each year."]
    assert len(_sentences(_CUT + "a. the reseller may end it by notice.\n")) == 2
    # A capital after the break starts a paragraph, unless the line before cannot end one.
    unfinished = "The licence is renewed by itself at the end of each year for a further term\n\n\n"
    assert len(_sentences(unfinished + "Months later the reseller ended it.\n")) == 2
    assert len(_sentences(_CUT.upper() + "MONTHS, UNLESS THE RESELLER ENDS IT BY NOTICE.\n")) == 1


def test_an_abbreviation_at_a_line_end_does_not_end_the_sentence():
    text = "You agree to hold Example Labs, Inc.\nharmless from any loss caused by your use of the service.\n"
    assert _sentences(text) == ["You agree to hold Example Labs, Inc. harmless from any loss caused by your use "
                                "of the service."]
    # A capital after it starts a new sentence, as after any stop.
    assert _sentences("The licensor is Example Labs, Inc.\nThe licensee is Sample Co.\n") == [
        "The licensor is Example Labs, Inc.", "The licensee is Sample Co."]


def test_a_quantity_opening_a_paragraph_is_not_a_clause_number():
    assert _sentences("90 day warranty on all parts.\n\n12 Definitions\n") == ["90 day warranty on all parts.",
                                                                          "Definitions"]


def test_a_list_item_lettered_in_lower_case_starts_a_sentence():
    # The breach of item (c) must not stand in the same sentence as the right of item (d).
    text = "Either may end it if the other fails to cure a breach. d. The Agent may end it at any time on notice.\n"
    assert _sentences(text) == [
        "Either may end it if the other fails to cure a breach.", "d. The Agent may end it at any time on notice."]
