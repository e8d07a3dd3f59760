"""What the self-check knows of the grader's text: its tables, its checks, and where keys are raised.

Everything ``python -m grader.dev check`` reads of the text system and of the checks goes
through this module, so a change of their shape (how a table is written, how a check is marked)
is adapted here and nowhere else. Tables and raising sites are found by reading the source
(AST): a key written twice in one dict display is lost at run time, and a raising site is a
place in a file, which only the source knows.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from grader import KIT_ROOT, messages
from grader.catalogue import Exercise

LANGS: tuple[str, ...] = tuple(messages.LANGS)

# Module-level names that hold templates, key -> language -> template (written as a dict display,
# or passed as one to a call such as ``define(__name__, {...})``).
TABLE_NAMES = ("COMMON", "COMMON_EXTRA", "MESSAGES", "SCREEN")
# The packages whose tables and raising sites make a check's messages (the others speak to the
# teacher or on the screen: their keys must still be unique and complete).
CHECK_TEXT = ("grader.messages", "grader.grading", "grader.checks", "grader.inside")

# Calls that raise or record a message, and the position of their key among the positional
# arguments. Values come as keywords, or (``_rendered``) as a dict display after the key.
RAISERS = {"Mistake": 0, "note": 0, "failed_check": 1, "_failed_check": 3, "_rendered": 0}
MISTAKE_RAISERS = frozenset({"Mistake", "failed_check", "_failed_check", "_rendered"})  # a note is not a failure
# Calls that print a text of the screen, looked up in every table: in any module but these tools and
# those with a ``word`` of their own. Their keys may come from data (a status), so only literals count.
SCREEN_RAISERS = {"word": 1}


@dataclass
class Table:
    """One table of templates as written in the source."""

    name: str  # dotted, e.g. grader.checks.ex06_main_waits.MESSAGES
    path: Path
    own: dict[str, int]  # key written in this display -> its line
    templates: dict[str, dict[str, str]]  # every key the table holds at run time (own and included)
    includes: list[str] = field(default_factory=list)  # tables spread into it (**SHARED)
    repeated: list[tuple[str, int]] = field(default_factory=list)  # a key written twice in the display

    @property
    def module(self) -> str:
        return self.name.rsplit(".", 1)[0]

    @property
    def is_check_text(self) -> bool:
        """A table of the checks' messages (not of the screen or the teacher's side)."""
        return _within(self.module, CHECK_TEXT) and not self.name.endswith(".SCREEN")

    @property
    def is_global(self) -> bool:
        """A table of messages every check can use, not only one checks module's."""
        return self.is_check_text and not self.module.startswith("grader.checks.")


@dataclass(frozen=True)
class Site:
    """One place in the grader that raises (or notes) a message key."""

    key: str
    path: Path
    line: int
    module: str  # dotted name of the module holding the site
    is_mistake: bool  # False for a note or a screen text: it never fails a check, so it needs no case
    names: frozenset[str]  # the values passed by name
    spread: bool  # values are also passed as **mapping: ``names`` is not all of them
    on_screen: bool = False  # a text of the screen, looked up in every table
    keys: tuple[str, ...] = ()  # every key the call may raise (a conditional key), this one among them


@dataclass(frozen=True)
class Unresolved:
    """A raising site whose key the source does not say (not a literal, nor a local set from literals)."""

    path: Path
    line: int
    call: str


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def grader_sources(root: Path = KIT_ROOT) -> list[Path]:
    return sorted(p for p in (root / "grader").rglob("*.py") if "__pycache__" not in p.parts)


def placeholders(template: str) -> set[str]:
    """The field names ``template`` fills in."""
    return messages.placeholders(template)


def checks_module_of(exercise: Exercise) -> str:
    return f"grader.checks.{exercise.module}"


def exercise_texts(exercise: Exercise) -> dict[str, dict[str, str]]:
    """The learner-facing texts of a catalogue entry, by what they are (title, hint 1, ...), in each language."""
    texts = {"title": {lang: exercise.title(lang) for lang in LANGS}}
    for level in range(len(exercise.hints)):
        texts[f"hint {level + 1}"] = {lang: exercise.hint(level, lang) for lang in LANGS}
    return texts


def check_names(exercise: Exercise) -> list[str]:
    """The names of the exercise's checks, as the grader lists them."""
    from grader.grading import runner

    return [entry[0] if isinstance(entry, tuple) else entry.name for entry in runner.checks_of(exercise)]


def read_tables(root: Path = KIT_ROOT) -> dict[str, Table]:
    """Every table of templates under ``root/grader``, by dotted name."""
    tables: dict[str, Table] = {}
    pending: list[tuple[Table, Any, list[ast.expr]]] = []
    for path in grader_sources(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            target, value = _assignment(node)
            if target not in TABLE_NAMES or not isinstance(value, ast.Dict):
                continue
            name = module_name(path, root)
            module = importlib.import_module(name)
            table = Table(f"{name}.{target}", path, {}, dict(getattr(module, target)))
            spreads = []
            for key, entry in zip(value.keys, value.values, strict=True):
                if key is None:
                    spreads.append(entry)
                elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                    if key.value in table.own:
                        table.repeated.append((key.value, key.lineno))
                    table.own[key.value] = key.lineno
            tables[table.name] = table
            pending.append((table, module, spreads))
    by_identity = {id(getattr(importlib.import_module(t.module), t.name.rsplit(".", 1)[1])): t.name
                   for t in tables.values()}
    for table, module, spreads in pending:
        for spread in spreads:
            included = eval(compile(ast.Expression(spread), str(table.path), "eval"), vars(module))  # noqa: S307 - the grader's own source
            table.includes.append(by_identity.get(id(included), ast.unparse(spread)))
    return tables


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, _display(node.value)
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, _display(node.value)
    return None, None


def _display(value: ast.expr | None) -> ast.expr | None:
    """The dict display of a table: the value itself, or the display passed to the call it is wrapped in."""
    if isinstance(value, ast.Call):
        return next((a for a in value.args if isinstance(a, ast.Dict)), value)
    return value


def one_registry() -> bool:
    """Whether a key is looked up among every text of the kit (``messages.all_texts``), not only in
    the raising module's table and the common ones."""
    return hasattr(messages, "all_texts")


def scope(tables: dict[str, Table], module: str) -> list[Table]:
    """The tables a message raised in ``module`` is rendered from: the module's own (with what it
    includes) first, then the global ones (or, with one registry, every table of checks' text)."""
    found: list[Table] = []
    queue = [f"{module}.{name}" for name in TABLE_NAMES if f"{module}.{name}" in tables]
    while queue:
        table = tables.get(queue.pop(0))
        if table is not None and table not in found:
            found.append(table)
            queue.extend(table.includes)
    shared = [t for t in tables.values() if (t.is_check_text if one_registry() else t.is_global)]
    return found + [t for t in shared if t not in found]


def checks_modules_imported(path: Path) -> set[str]:
    """The modules of ``grader.checks`` that the checks module at ``path`` imports (or imports from)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            found.update([f"grader.checks.{node.module}"] if node.module
                         else (f"grader.checks.{alias.name}" for alias in node.names))
            found.add("grader.checks")
        elif node.module == "grader.checks":
            found.update(f"grader.checks.{alias.name}" for alias in node.names)
            found.add("grader.checks")
        elif (node.module or "").startswith("grader.checks."):
            found.add(node.module)  # type: ignore[arg-type]
    return found


def exercises_failing_with(sites: list[Site], root: Path = KIT_ROOT) -> dict[str, set[str]]:
    """Each mistake key, and the exercises' checks modules that can fail with it: the module that
    raises it, the exercises that use the helper that does (``grader.checks``' shared modules), or
    every exercise (the grading side, the common helpers)."""
    from grader.catalogue import EXERCISES

    exercises = {checks_module_of(e) for e in EXERCISES}
    imports = {module_name(p, root): checks_modules_imported(p) for p in sorted((root / "grader" / "checks").glob("*.py"))}
    uses: dict[str, set[str]] = {}
    for exercise in exercises:
        seen, todo = {exercise}, [exercise]
        while todo:
            for used in imports.get(todo.pop(), set()) - seen:
                seen.add(used)
                todo.append(used)
        uses[exercise] = seen
    failing: dict[str, set[str]] = {}
    for site in sites:
        if not site.is_mistake:
            continue
        if site.module.startswith("grader.checks.") and site.module.split(".")[2] != "__init__":
            reached = {e for e in exercises if site.module in uses[e]}
        else:
            reached = exercises
        failing.setdefault(site.key, set()).update(reached)
    return failing


def read_sites(root: Path = KIT_ROOT) -> tuple[list[Site], list[Unresolved]]:
    """Every place under ``root/grader`` that raises or notes a message key."""
    sites: list[Site] = []
    unresolved: list[Unresolved] = []
    for path in grader_sources(root):
        module = module_name(path, root)
        if _within(module, ("grader.dev",)):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own_words = any(isinstance(n, ast.FunctionDef) and n.name in SCREEN_RAISERS for n in tree.body)
        raisers = {**({} if own_words else SCREEN_RAISERS), **(RAISERS if _within(module, CHECK_TEXT) else {})}
        for function, call in _calls(tree):
            raiser = _raiser(call, raisers)
            if raiser is None or len(call.args) <= raisers[raiser]:
                continue
            argument = call.args[raisers[raiser]]
            keys = _literal_keys(argument, function)
            if keys is None:
                if raiser not in SCREEN_RAISERS and not _passed_through(argument, function):
                    unresolved.append(Unresolved(path, call.lineno, ast.unparse(call)[:80]))
                continue
            names, spread = _values(call, raiser)
            for key in keys:
                sites.append(Site(key, path, call.lineno, module, raiser in MISTAKE_RAISERS, names, spread,
                                  on_screen=raiser in SCREEN_RAISERS, keys=tuple(keys)))
    return sites, unresolved


def _calls(tree: ast.AST) -> Iterator[tuple[ast.AST | None, ast.Call]]:
    """Every call in ``tree`` with the function (or None: the module) it sits in."""

    def visit(node: ast.AST, function: ast.AST | None) -> Iterator[tuple[ast.AST | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else function
            if isinstance(child, ast.Call):
                yield function, child
            yield from visit(child, inner)

    return visit(tree, None)


def _raiser(call: ast.Call, raisers: dict[str, int]) -> str | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name if name in raisers else None


def _strings(node: ast.expr) -> list[str] | None:
    """The strings ``node`` can be: a literal, or a conditional between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _literal_keys(node: ast.expr, function: ast.AST | None) -> list[str] | None:
    found = _strings(node)
    if found is not None or not isinstance(node, ast.Name) or function is None:
        return found
    values = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)]
    keys: list[str] = []
    for value in values:
        strings = _strings(value)
        if strings is None:
            return None
        keys.extend(strings)
    return keys or None


def _passed_through(node: ast.expr, function: ast.AST | None) -> bool:
    """Whether the key comes from elsewhere (a parameter, an attribute): the site that chose it is elsewhere."""
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        return True
    if isinstance(node, ast.Name) and isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        params = function.args
        return node.id in {a.arg for a in params.posonlyargs + params.args + params.kwonlyargs}
    return False


def _values(call: ast.Call, raiser: str) -> tuple[frozenset[str], bool]:
    """The names of the values a raising call passes, and whether some come unnamed (**mapping)."""
    if raiser == "_rendered":
        given = call.args[1] if len(call.args) > 1 else None
        if isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) for k in given.keys):
            return frozenset(k.value for k in given.keys), False  # type: ignore[union-attr]
        return frozenset(), True
    names = frozenset(k.arg for k in call.keywords if k.arg is not None)
    return names, any(k.arg is None for k in call.keywords)
