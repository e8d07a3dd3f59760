"""Every run of ex08's and ex11's checks holds the edges their contract and docstrings imply,
whatever the seed: the values are drawn, the coverage is not (docs/THREATS.md, "Edges")."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from grader.checks import copy_data, ex08_copy_file, ex11_cpu_speedup

SEEDS = range(200)


def _names_copied_by_the_tricky_names_check(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(scene: Any, files: list[tuple[str, bytes]], *rest: Any) -> list[copy_data.Copied]:
        seen.extend(name for name, _ in files)
        return []

    monkeypatch.setattr(ex08_copy_file, "_copy_all", record)
    ex08_copy_file.test_copies_tricky_names(None, random.Random(seed), tmp_path)
    return seen


def test_ex08_names_always_include_one_without_a_dot_and_one_with_several(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in SEEDS:
        names = _names_copied_by_the_tricky_names_check(seed, tmp_path, monkeypatch)
        assert any("." not in n for n in names), f"seed {seed}: {names}"
        assert any(n.count(".") >= 2 for n in names), f"seed {seed}: {names}"
        assert any(" " in n for n in names) and any("\u4e00" <= c <= "\u9fff" for n in names for c in n)
        assert len(set(names)) == len(names)


def test_ex08_sizes_always_straddle_the_common_chunks_and_one_mebibyte() -> None:
    for seed in SEEDS:
        sizes = set(copy_data.sizes_around_chunks(random.Random(seed), 1000))
        for chunk in (*copy_data.COMMON_CHUNK_SIZES, 1 << 20, 1000):
            assert {chunk - 1, chunk, chunk + 1} <= sizes, f"seed {seed}: chunk {chunk}"


def test_ex08_contents_always_include_every_special_kind() -> None:
    for seed in SEEDS:
        kinds = dict(copy_data.special_contents(random.Random(seed)))
        assert kinds["empty"] == b"" and len(kinds["one-byte"]) == 1
        assert b"\r\n" in kinds["crlf"] and b"\0" in kinds["nul-bytes"] and len(kinds["binary"]) > 65536


def _sizes_given_to(check: Any, seed: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(ex11_cpu_speedup, "_totals", lambda *args: seen.extend(args[-1]))
    check(None, random.Random(seed))
    return seen


def test_ex11_totals_always_include_even_and_uneven_splits(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in SEEDS:
        sizes = _sizes_given_to(ex11_cpu_speedup.test_parallel_total, seed, monkeypatch)
        assert any(stop % workers for stop, workers in sizes), f"seed {seed}: {sizes}"
        assert any(stop % workers == 0 and stop > workers for stop, workers in sizes), f"seed {seed}: {sizes}"


def test_ex11_edge_cases_always_include_one_number_none_and_a_pool_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in SEEDS:
        sizes = _sizes_given_to(ex11_cpu_speedup.test_parallel_total_edge_cases, seed, monkeypatch)
        assert any(stop == 1 and workers > 1 for stop, workers in sizes), f"seed {seed}: {sizes}"
        assert any(stop == 0 for stop, _ in sizes), f"seed {seed}: {sizes}"
        assert any(workers == 1 and stop > 1 for stop, workers in sizes), f"seed {seed}: {sizes}"
