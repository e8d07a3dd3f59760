"""The one text system: every text defined once, key -> language, one renderer, fragments by language."""

from __future__ import annotations

import importlib

import pytest

from grader import messages
from grader.checks.printing import difference
from grader.messages import NO_TEXT, DuplicateKey, Text


def test_every_text_of_the_kit_is_listed_once_with_where_it_is_defined() -> None:
    texts = messages.all_texts()
    assert texts["raised"].where == "grader.messages"
    assert texts["grader_error"].where == "grader.grading.plugin"
    assert texts["wrong_count"].where == "grader.checks.printing"
    assert texts["gradebook_replay"].where == "grader.teacher.texts"
    assert all(set(text.templates) == set(messages.LANGS) for text in texts.values())


def test_a_key_defined_by_a_second_module_is_an_error_that_names_both() -> None:
    with pytest.raises(DuplicateKey, match="raised.*grader.messages.*elsewhere"):
        messages.define("elsewhere", {"raised": {"en": "x", "zh": "x"}})


def test_a_text_without_every_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="languages"):
        messages.define("elsewhere", {"only_english_here": {"en": "x"}})
    assert "only_english_here" not in messages.all_texts()


def test_a_fragment_by_language_is_filled_in_the_templates_language() -> None:
    importlib.import_module("grader.checks.ex05_process_ids")  # defines wrong_pid, whatever ran before in this process
    values = {"pid": 7, "printed_pid": 8, "label": "a", "where": Text("(the main process)", "主进程"),
              "whose": NO_TEXT}
    assert "(the main process)" in messages.render("wrong_pid", values, "en")
    assert "主进程" in messages.render("wrong_pid", values, "zh")
    assert "(the main process)" not in messages.render("wrong_pid", values, "zh")
    assert messages.plain(values)["where"] == {"en": "(the main process)", "zh": "主进程"}


def test_word_and_render_give_the_same_text() -> None:
    assert messages.word("zh", "seconds", value=1.5) == messages.render("seconds", {"value": 1.5}, "zh") == "1.50 秒"


def test_not_started_is_the_status_word_only() -> None:
    assert messages.all_texts()["not_started"].where == "grader.messages"
    assert messages.word("en", "not_started") == "not started"
    assert "NotImplementedError" in messages.render("untouched", {"module": "ex03_multitasking.py"}, "en")


@pytest.mark.parametrize("printed, en, zh", [
    ("工作中。。。\n" * 3, "3 '。' where 4 are expected", "3 个 '。'，预期 4 个"),
    ("工作中...\n" * 3, "3 ASCII dot(s) '...' where 4 '。'", "3 个英文句点 '...' 结尾，预期是 4 个中文句号"),
    ("工作了。。。。\n", "at character 3: '了' where '中' is expected", "从第 3 个字符起不同：是 '了'，预期是 '中'"),
    ("工作\n", "stops short: '工作中。。。。' goes on with '中。。。。'", "后面还有 '中。。。。'"),
])
def test_a_line_unlike_the_expected_one_is_told_what_differs(printed: str, en: str, zh: str) -> None:
    said = difference("工作中。。。。", printed)
    assert en in said("en") and zh in said("zh")


def test_lines_that_are_all_right_need_no_difference_told() -> None:
    assert difference("唱歌。。。", "唱歌。。。\n唱歌。。。\n") == NO_TEXT
    assert difference("唱歌。。。", "") == NO_TEXT


def test_a_wrong_count_message_says_the_difference_in_both_languages() -> None:
    values = {"function": "work", "num": 4, "delay": 0.01, "word": "工作中。。。。", "count": 0,
              "printed": "工作中。。。", "difference": difference("工作中。。。。", "工作中。。。\n")}
    assert "0 time(s); expected 4. Its lines have 3 '。' where 4 are expected" in messages.render("wrong_count", values, "en")
    assert "它打印的行里有 3 个 '。'，预期 4 个：'工作中。。。'。它打印的是" in messages.render("wrong_count", values, "zh")


def test_a_table_the_caller_passes_is_looked_up_before_the_kits() -> None:
    own = {"raised": {"en": "mine", "zh": "我的"}}
    assert messages.render("raised", {}, "zh", own) == "我的"
    assert messages.render("not_a_key_anywhere", {"a": 1}, "en") == "not_a_key_anywhere: {'a': 1}"
