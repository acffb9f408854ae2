"""Chinese segmentation: clause markers are not quantities; full-width punctuation ends sentences."""

from __future__ import annotations

import pytest

from policycheck.document.load import document_from_text
from policycheck.document.segment import segment
from policycheck.facts.engine import extractor


def _pieces(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segment(text)]


@pytest.mark.parametrize("marker", ["第三条　", "第十二條 ", "三、", "（二）", "(三)", "①　", "3.1 ", "一."])
def test_clause_markers_are_left_out_of_the_sentence(marker):
    assert _pieces(f"{marker}服务方保存数据三十日。\n") == ["服务方保存数据三十日。"]


def test_full_width_question_and_exclamation_marks_end_sentences():
    assert _pieces("用户可以导出数据吗？可以。期满后删除！\n") == ["用户可以导出数据吗？", "可以。", "期满后删除！"]


def test_a_sentence_ending_in_full_width_punctuation_is_not_a_heading():
    text = "第五条　数据\n一、期满后删除！\n二、服务方保存数据三十日。\n"
    assert [s.heading for s in segment(text)] == ["", "数据", "数据"]


@pytest.mark.parametrize("text", ["第三十条　争议解决\n双方应友好协商。\n", "三十、附则\n本协议自签署之日起生效。\n",
                                  "（三十）其他事项。\n"])
def test_a_clause_number_is_not_a_duration(text):
    assert extractor().extract(document_from_text(text)).facts == []


def test_full_width_punctuation_throughout_a_clause():
    text = "第七条　数据删除\n（一）本协议终止后，服务方将保留客户数据三十日；期满后，服务方有权删除全部数据。\n"
    facts = [f for f in extractor().extract(document_from_text(text)).facts if f.name == "data_deletion_after"]
    assert [(str(f.value), f.evidence.line, f.qualifiers.get("anchor")) for f in facts] == [("30d", 2, "termination")]
