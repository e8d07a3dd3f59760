"""The mutation operators of ``python -m grader.dev mutate`` make the mutants their examples show,
and every mutant of a solution compiles and leaves the demo alone."""

from __future__ import annotations

import pytest

pytest.importorskip("cosmic_ray")

from cosmic_ray.mutating import mutate_code  # noqa: E402

from grader.catalogue import EXERCISES  # noqa: E402
from grader.dev import mutate  # noqa: E402
from grader.dev.mutation_operators import OPERATORS  # noqa: E402

EXAMPLES = [(name, example) for name, operator in OPERATORS.items() for example in operator.examples()]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXAMPLES)])
def test_each_operator_makes_the_mutant_of_its_example(name: str, example: object) -> None:
    got = mutate_code(example.pre_mutation_code, OPERATORS[name](), example.occurrence)
    assert got == example.post_mutation_code


def test_the_mutants_of_ex05_hold_the_mistakes_the_operators_are_for() -> None:
    changes = {m.change for m in mutate.mutants_of(next(e for e in EXERCISES if e.module == "ex05_process_ids"))}
    assert "process.join() => pass" in changes
    assert ("for process in processes: |     process.join() =>     for process in processes: |         process.join()"
            in changes)
    assert any("multiprocessing.Process(report_ids, args=" in c for c in changes)


def test_no_mutant_of_ex02_touches_its_demo() -> None:
    exercise = next(e for e in EXERCISES if e.module == "ex02_start_vs_run")
    original = (mutate.ROOT / "solutions" / exercise.filename).read_text(encoding="utf-8")
    demo = original[original.index('if __name__ == "__main__":'):]
    mutants = mutate.mutants_of(exercise)
    assert mutants and all(m.code.endswith(demo) for m in mutants)
