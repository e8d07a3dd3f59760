"""Mutation operators for cosmic-ray that make the mistakes this kit is about: calls and arguments
left out, statements in the wrong order or the wrong block.

cosmic-ray's own operators change operators, numbers, comparisons and booleans; none of them
deletes ``p.join()``, drops ``daemon=True`` or joins inside the loop that starts. These do. Each is
a cosmic-ray ``Operator`` (``mutation_positions`` / ``mutate`` on parso nodes) and
:class:`OperatorProvider` is a cosmic-ray operator provider, which ``grader.dev.mutate``
registers under the name ``mp-kit`` in its own process (``grader.dev`` is not installed with the
kit, so an entry point in ``pyproject.toml`` would name a module that is not there).

A mutated node is replaced by ``parso.parse(text)``: parso gives back any text exactly
(``get_code``), so an operator only has to build the new text of the node it changes.
"""

from __future__ import annotations

from typing import Any, Iterator

import parso
from cosmic_ray.operators.operator import Example, Operator
from parso.tree import NodeOrLeaf

Position = tuple[tuple[int, int], tuple[int, int]]

# Blocks whose body a statement can be moved into, or out of.
LOOPS_AND_WITH = ("for_stmt", "while_stmt", "with_stmt")


def _text(code: str) -> NodeOrLeaf:
    return parso.parse(code)


def _span(node: NodeOrLeaf) -> Position:
    return (node.start_pos, node.end_pos)


def _bare(node: NodeOrLeaf) -> str:
    return node.get_code(include_prefix=False)


def _prefix(node: NodeOrLeaf) -> str:
    return node.get_first_leaf().prefix


def _is_call_trailer(node: NodeOrLeaf) -> bool:
    return (node.type == "trailer" and node.children[0].type == "operator" and node.children[0].value == "("
            and node.get_previous_sibling() is not None)


def _call_arguments(trailer: Any) -> list[NodeOrLeaf]:
    """The arguments of a call trailer ``( ... )``, in order, commas left out."""
    inner = trailer.children[1:-1]
    if not inner:
        return []
    if inner[0].type == "arglist":
        return [c for c in inner[0].children if not (c.type == "operator" and c.value == ",")]
    return [inner[0]]


def _is_keyword(argument: NodeOrLeaf) -> bool:
    return argument.type == "argument" and len(argument.children) == 3 and argument.children[1].type == "operator" \
        and argument.children[1].value == "="


def _is_positional(argument: NodeOrLeaf) -> bool:
    return argument.type != "argument"  # "argument" nodes are name=value, *x, **x and generator arguments


def _call_text(trailer: Any, arguments: list[str]) -> str:
    return _prefix(trailer) + "(" + ", ".join(arguments) + ")"


def _statements(suite: Any) -> list[NodeOrLeaf]:
    return [c for c in suite.children if c.type not in ("newline", "indent", "dedent")]


def _is_docstring(statement: NodeOrLeaf) -> bool:
    return statement.type == "simple_stmt" and statement.children[0].type == "string"


def _indent(code: str, extra: str) -> str:
    return "".join(extra + line if line.strip() else line for line in code.splitlines(keepends=True))


def _dedent(code: str, extra: str) -> str:
    return "".join(line[len(extra):] if line.startswith(extra) else line for line in code.splitlines(keepends=True))


def _suite_with(suite: Any, replaced: dict[int, str], dropped: set[int] = frozenset()) -> NodeOrLeaf:
    """``suite`` with the children at the keys of ``replaced`` given new text and those in ``dropped`` removed."""
    parts = [replaced.get(i, child.get_code()) for i, child in enumerate(suite.children) if i not in dropped]
    return _text("".join(parts))


class RemoveCall(Operator):
    """Deletes a call made as a statement of its own: ``p.join()`` becomes ``pass``."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        if node.type in ("atom_expr", "power") and node.parent is not None and node.parent.type == "simple_stmt" \
                and _is_call_trailer(node.children[-1]):
            yield _span(node)

    def mutate(self, node: NodeOrLeaf, index: int) -> NodeOrLeaf:
        return _text(_prefix(node) + "pass")

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("p.start()\np.join()\n", "p.start()\npass\n", occurrence=1),)


class RemoveArgument(Operator):
    """Deletes one argument of a call: ``Process(target=f, daemon=True)`` becomes ``Process(target=f)``."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        if _is_call_trailer(node):
            for argument in _call_arguments(node):
                yield _span(argument)

    def mutate(self, node: NodeOrLeaf, index: int) -> NodeOrLeaf:
        arguments = [_bare(a) for a in _call_arguments(node)]
        del arguments[index]
        return _text(_call_text(node, arguments))

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("Process(target=f, daemon=True)", "Process(target=f)", occurrence=1),
                Example("os.makedirs(d)", "os.makedirs()"))


class SwapArguments(Operator):
    """Swaps two neighbouring positional arguments of a call, or two neighbouring items of a tuple
    in parentheses: ``copy(name, src, dst)`` becomes ``copy(src, name, dst)``, ``args=(name, num)``
    becomes ``args=(num, name)``."""

    @staticmethod
    def _items(node: Any) -> list[NodeOrLeaf] | None:
        if _is_call_trailer(node):
            return _call_arguments(node)
        if node.type == "atom" and node.children[0].type == "operator" and node.children[0].value == "(" \
                and len(node.children) == 3 and node.children[1].type == "testlist_comp" \
                and any(c.type == "operator" and c.value == "," for c in node.children[1].children):
            return [c for c in node.children[1].children if not (c.type == "operator" and c.value == ",")]
        return None

    def _pairs(self, node: Any) -> list[int]:
        items = self._items(node) or []
        return [i for i in range(len(items) - 1)
                if _is_positional(items[i]) and _is_positional(items[i + 1]) and _bare(items[i]) != _bare(items[i + 1])]

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        items = self._items(node) or []
        for i in self._pairs(node):
            yield (items[i].start_pos, items[i + 1].end_pos)

    def mutate(self, node: NodeOrLeaf, index: int) -> NodeOrLeaf:
        items = self._items(node) or []
        i = self._pairs(node)[index]
        texts = [_bare(c) for c in items]
        texts[i], texts[i + 1] = texts[i + 1], texts[i]
        trailing = "," if len(texts) == 1 else ""
        return _text(_prefix(node) + "(" + ", ".join(texts) + trailing + ")")

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("f(a, b)", "f(b, a)"), Example("x = (a, b)", "x = (b, a)"))


class KeywordToPositional(Operator):
    """Passes a keyword argument by position: ``Process(target=f)`` becomes ``Process(f)`` (there
    it is ``group``), ``os.makedirs(d, exist_ok=True)`` becomes ``os.makedirs(d, True)`` (the mode).
    Only the first keyword argument of a call, so that no positional argument follows a keyword one."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        if _is_call_trailer(node):
            for argument in _call_arguments(node):
                if _is_keyword(argument):
                    yield _span(argument)
                if not _is_positional(argument):
                    break

    def mutate(self, node: NodeOrLeaf, index: int) -> NodeOrLeaf:
        arguments = _call_arguments(node)
        first = next(i for i, a in enumerate(arguments) if _is_keyword(a))
        texts = [_bare(a) for a in arguments]
        texts[first] = _bare(arguments[first].children[2])
        return _text(_call_text(node, texts))

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("Process(target=f, args=(1,))", "Process(f, args=(1,))"),)


class SwapArgsAndKwargs(Operator):
    """Passes a process's arguments by the other keyword: ``args=`` becomes ``kwargs=`` and back."""

    OTHER = {"args": "kwargs", "kwargs": "args"}

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        if _is_keyword(node) and node.children[0].type == "name" and node.children[0].value in self.OTHER \
                and node.parent is not None and (node.parent.type == "arglist" or _is_call_trailer(node.parent)):
            yield _span(node)

    def mutate(self, node: Any, index: int) -> NodeOrLeaf:
        name = node.children[0].value
        return _text(_prefix(node) + self.OTHER[name] + "=" + node.children[2].get_code())

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("Process(target=f, args=(1,))", "Process(target=f, kwargs=(1,))"),)


class SwapStatements(Operator):
    """Swaps two neighbouring statements of a block (docstrings left alone): ``start(); join()``
    becomes ``join(); start()``; ``a.start(); b.start(); a.join()`` becomes ``a.start(); a.join(); b.start()``."""

    @staticmethod
    def _pairs(node: Any) -> list[int]:
        if node.type != "suite":
            return []
        statements = _statements(node)
        return [i for i in range(len(statements) - 1)
                if not _is_docstring(statements[i]) and not _is_docstring(statements[i + 1])]

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        statements = _statements(node) if node.type == "suite" else []
        for i in self._pairs(node):
            yield (statements[i].start_pos, statements[i + 1].end_pos)

    def mutate(self, node: Any, index: int) -> NodeOrLeaf:
        statements = _statements(node)
        i = self._pairs(node)[index]
        first, second = node.children.index(statements[i]), node.children.index(statements[i + 1])
        return _suite_with(node, {first: statements[i + 1].get_code(), second: statements[i].get_code()})

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    p.start()\n    p.join()\n", "def f():\n    p.join()\n    p.start()\n"),)


class MoveIntoPreviousBlock(Operator):
    """Moves a statement into the end of the loop (or ``with``) just before it: the loop that joins
    ends up inside the loop that starts, so each child is joined before the next one starts."""

    @staticmethod
    def _pairs(node: Any) -> list[int]:
        if node.type != "suite":
            return []
        statements = _statements(node)
        return [i for i in range(len(statements) - 1)
                if statements[i].type in LOOPS_AND_WITH and statements[i].children[-1].type == "suite"
                and statements[i + 1].type not in ("funcdef", "classdef", "decorated")]

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        statements = _statements(node) if node.type == "suite" else []
        for i in self._pairs(node):
            yield (statements[i].start_pos, statements[i + 1].end_pos)

    def mutate(self, node: Any, index: int) -> NodeOrLeaf:
        statements = _statements(node)
        i = self._pairs(node)[index]
        block, moved = statements[i], statements[i + 1]
        body = _statements(block.children[-1])[0]
        extra = " " * (body.start_pos[1] - block.start_pos[1])
        at = node.children.index(block)
        return _suite_with(node, {at: block.get_code() + _indent(moved.get_code(), extra)},
                           {node.children.index(moved)})

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    for p in ps:\n        p.start()\n    for p in ps:\n        p.join()\n",
                        "def f():\n    for p in ps:\n        p.start()\n        for p in ps:\n            p.join()\n"),)


class MoveOutOfBlock(Operator):
    """Moves the last statement of a loop's (or ``with``'s) body to just after it: only the last
    process gets started, appended or joined; a file is written after it was closed."""

    @staticmethod
    def _blocks(node: Any) -> list[int]:
        if node.type != "suite":
            return []
        return [i for i, s in enumerate(_statements(node))
                if s.type in LOOPS_AND_WITH and s.children[-1].type == "suite" and len(_statements(s.children[-1])) >= 2]

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        statements = _statements(node) if node.type == "suite" else []
        for i in self._blocks(node):
            yield _span(_statements(statements[i].children[-1])[-1])

    def mutate(self, node: Any, index: int) -> NodeOrLeaf:
        block = _statements(node)[self._blocks(node)[index]]
        body = block.children[-1]
        last = _statements(body)[-1]
        extra = " " * (last.start_pos[1] - block.start_pos[1])
        head = "".join(c.get_code() for c in block.children[:-1])
        rest = "".join(c.get_code() for c in body.children if c is not last)
        return _suite_with(node, {node.children.index(block): head + rest + _dedent(last.get_code(), extra)})

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    for n in ns:\n        p = P(n)\n        p.start()\n",
                        "def f():\n    for n in ns:\n        p = P(n)\n    p.start()\n"),)


OPERATORS: dict[str, type[Operator]] = {op.__name__: op for op in (
    RemoveCall, RemoveArgument, SwapArguments, KeywordToPositional, SwapArgsAndKwargs,
    SwapStatements, MoveIntoPreviousBlock, MoveOutOfBlock,
)}


class OperatorProvider:
    """cosmic-ray's operator-provider protocol: iterate the names, index by name."""

    def __iter__(self) -> Iterator[str]:
        return iter(OPERATORS)

    def __getitem__(self, name: str) -> type[Operator]:
        return OPERATORS[name]
