"""Checks of ex08_copy_file: ``copy_file(file_name, source_dir, dest_dir)``.

The learner's function is called in the grading process itself (it starts no process), on files
made afresh from the check's ``rng``; every copy is compared byte for byte with its original.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path
from typing import Any, Callable

from grader.grading.fixtures import Grading, call_learner

from .. import messages
from ..messages import Mistake
from . import check, copy_data
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use

FUNCTION = "copy_file"

# A copy in chunks holds a chunk or two at a time; a whole-file read holds the whole file. The
# file is 12-16 MiB, so half of it leaves room for any sensible chunk (up to a few MiB) and none
# for a whole-file read, whatever the chunk size.
MEMORY_FRACTION = 0.5

MESSAGES = messages.define(__name__, {
    "whole_file_in_memory": {
        "en": "Copying a file of {size_mib:.1f} MiB, copy_file held up to {peak_mib:.1f} MiB in memory at once: the whole file was read in one go (read() with no size, readlines(), Path.read_bytes()...). A picture folder can hold files larger than the memory you have. Read and write one chunk at a time: data = source_file.read(CHUNK_SIZE), in a loop until it returns b''.",
        "zh": "拷贝一个 {size_mib:.1f} MiB 的文件时，copy_file 同时占用了多达 {peak_mib:.1f} MiB 的内存：整个文件被一次读了进来（不带大小的 read()、readlines()、Path.read_bytes() 等）。图片文件夹里的文件可能比你的内存还大。请一次读写一块：data = source_file.read(CHUNK_SIZE)，循环直到它返回 b''。",
    },
})


def _copy(grading: Grading, learner: Any, name: str, source: Path, dest: Path) -> None:
    """Call copy_file(name, source, dest) with folder paths as strings; name what went wrong."""
    try:
        call_learner(grading, learner.copy_file, name, str(source), str(dest))
    except Mistake as mistake:
        cause = mistake.__context__  # the learner's own exception, when there was one
        if isinstance(cause, UnicodeError):
            raise Mistake("text_mode_failed", function=FUNCTION, name=name,
                          error=f"{type(cause).__name__}: {cause}") from None
        wrong = copy_data.wrong_path_in(cause, [str(source / name), str(dest / name)], FUNCTION)
        if wrong is not None:
            raise wrong from None
        raise


def _copy_all(grading: Grading, learner: Any, files: list[tuple[str, bytes]], source: Path, dest: Path,
              workdir: Path) -> list[Copied]:
    """Write ``files`` into ``source``, copy each with copy_file, and return what came out in ``dest``."""
    for name, data in files:
        copy_data.write(source / name, data)
    dest.mkdir(parents=True, exist_ok=True)
    copies: list[Copied] = []
    for name, data in files:
        try:
            _copy(grading, learner, name, source, dest)
        except Mistake:
            # Name the first file that went wrong: an earlier copy may already show why.
            earlier = copy_data.diagnose(copies, FUNCTION, str(dest))
            if earlier is not None:
                raise earlier from None
            raise
        if copy_data.digest(source / name) != copy_data.data_digest(data):
            after = copy_data.read_or_none(source / name)
            raise Mistake("source_changed", name=name, before=len(data), after=len(after or b""))
        copy = copy_data.read_or_none(dest / name)
        if copy is None:
            known = {(source / n).relative_to(workdir).as_posix() for n, _ in files}
            known |= {(dest / n).relative_to(workdir).as_posix() for n, _ in files}
            strays = copy_data.stray_files(workdir, known)
            if strays:
                raise Mistake("wrong_path", function=FUNCTION,
                              **copy_data.shortened(str(workdir / strays[0]), str(dest / name)))
        copies.append(Copied(name, data, copy))
    return copies


def _expect_exact(copies: list[Copied], dest: Path) -> None:
    """Every copy has the original's bytes, in a file of its own (not a link to the source)."""
    mistake = copy_data.diagnose(copies, FUNCTION, str(dest)) or copy_data.not_a_real_copy(dest, [c.name for c in copies])
    if mistake is not None:
        raise mistake


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def _resident_growth(run: Callable[[], Any]) -> int | None:
    """Run ``run()``; return how far this process's resident memory (as the OS counts it) rose above
    its level at the start, in bytes; None where the OS does not tell (no /proc/self/clear_refs).

    Writing 5 to clear_refs resets the peak (VmHWM) to the current resident size, so the peak read
    afterwards is this call's. The OS sees what the Python heap does not: a file mapped whole with
    mmap, a buffer from a C extension.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        before = _status_kib("VmRSS")
    except OSError:
        run()
        return None
    run()
    return (_status_kib("VmHWM") - before) * 1024


@check("copies any content byte for byte: empty, NUL bytes, not UTF-8, \\r\\n line ends",
       "任何内容都一字节不差地拷贝：空文件、NUL 字节、非 UTF-8、\\r\\n 换行", points=2)
def test_copies_any_content_exactly(learner: Any, grading: Grading, rng: random.Random, workdir: Path) -> None:
    files = [(copy_data.plain_name(rng, kind), data) for kind, data in copy_data.special_contents(rng)]
    source, dest = workdir / "source", workdir / "dest"
    _expect_exact(_copy_all(grading, learner, files, source, dest, workdir), dest)


@check("copies files of every size, one byte either side of the chunk sizes",
       "各种大小的文件都拷贝完整，包括比块大小多一个或少一个字节的文件", points=2)
def test_copies_every_size(learner: Any, grading: Grading, rng: random.Random, workdir: Path) -> None:
    sizes = copy_data.sizes_around_chunks(rng, getattr(learner, "CHUNK_SIZE", None))
    files = [(copy_data.plain_name(rng, f"size-{size}"), rng.randbytes(size)) for size in sizes]
    source, dest = workdir / "source", workdir / "dest"
    _expect_exact(_copy_all(grading, learner, files, source, dest, workdir), dest)


@check("copies files whose names and folders have spaces and Chinese characters",
       "文件名和文件夹名带空格、中文时也能拷贝")
def test_copies_tricky_names(learner: Any, grading: Grading, rng: random.Random, workdir: Path) -> None:
    # One name of every pattern, in every run: no extension, several dots, spaces, Chinese, emoji.
    names = copy_data.tricky_names(rng, len(copy_data.TRICKY_NAMES))
    files = [(name, rng.randbytes(rng.randint(1, 5000))) for name in names]
    source = workdir / f"源 文件夹 {rng.randrange(100)}"
    dest = workdir / f"目标 folder {rng.randrange(100)}"
    _expect_exact(_copy_all(grading, learner, files, source, dest, workdir), dest)


@check("replaces a file of the same name already in dest_dir", "替换 dest_dir 里已有的同名文件")
def test_replaces_an_existing_file(learner: Any, grading: Grading, rng: random.Random, workdir: Path) -> None:
    name = copy_data.plain_name(rng, "photo")
    new = rng.randbytes(rng.randint(100, 5000))
    old = rng.randbytes(len(new) + rng.randint(50, 3000))  # longer, so that leftovers of it show
    source, dest = workdir / "source", workdir / "dest"
    copy_data.write(source / name, new)
    copy_data.write(dest / name, old)
    _copy(grading, learner, name, source, dest)
    mistake = (copy_data.diagnose_replaced(name, old, new, copy_data.read_or_none(dest / name), str(dest), FUNCTION)
               or copy_data.not_a_real_copy(dest, [name]))
    if mistake is not None:
        raise mistake


@check("copies a large file in chunks, never holding it whole in memory",
       "按块拷贝大文件，从不把整个文件放进内存", points=2)
def test_copies_in_chunks(learner: Any, grading: Grading, rng: random.Random, workdir: Path) -> None:
    size = rng.randint(12 << 20, 16 << 20) + rng.randint(1, 999)
    name = copy_data.plain_name(rng, "large")
    data = rng.randbytes(size)
    source, dest = workdir / "source", workdir / "dest"
    copy_data.write(source / name, data)
    dest.mkdir()
    # tracemalloc sees every allocation Python makes (a bytes object read from a file too), and
    # none that a kernel copy makes (shutil.copyfile's sendfile), so it measures what the
    # learner's code holds, not how it gets the bytes across.
    tracing_already = tracemalloc.is_tracing()
    if not tracing_already:
        tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    try:
        resident = _resident_growth(lambda: _copy(grading, learner, name, source, dest))
    finally:
        peak = tracemalloc.get_traced_memory()[1] - baseline
        if not tracing_already:
            tracemalloc.stop()
    _expect_exact([Copied(name, data, copy_data.read_or_none(dest / name))], dest)
    peak = max(peak, resident or 0)
    if peak >= MEMORY_FRACTION * size:
        raise Mistake("whole_file_in_memory", size_mib=round(size / (1 << 20), 1), peak_mib=round(peak / (1 << 20), 1))
