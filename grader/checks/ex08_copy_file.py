"""Checks of ex08_copy_file: ``copy_file(file_name, source_dir, dest_dir)``.

The learner's function runs in the learner host (it starts no process); the checker makes the
files afresh from the check's ``rng``, reads every copy itself and compares it byte for byte with
its original. The memory a copy holds is the kernel's count for the host, read here from its
``/proc`` entry; the host's own count (Python's allocations) can only add to it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from grader.grading.host_channel import Scene

from .. import messages
from ..messages import Mistake
from . import check, copy_data
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scenes are grader.inside.scenes.ex08_copy_file.
HOST_MISTAKES = ("text_mode_failed", "wrong_path")

FUNCTION = "copy_file"

MESSAGES = messages.define(__name__, {
    "whole_file_in_memory": {
        "en": "Copying a file of {size_mib:.1f} MiB, copy_file held up to {peak_mib:.1f} MiB in memory at once: the whole file was read in one go (read() with no size, readlines(), Path.read_bytes()...). A picture folder can hold files larger than the memory you have. Read and write one chunk at a time: data = source_file.read(CHUNK_SIZE), in a loop until it returns b''.",
        "zh": "拷贝一个 {size_mib:.1f} MiB 的文件时，copy_file 同时占用了多达 {peak_mib:.1f} MiB 的内存：整个文件被一次读了进来（不带大小的 read()、readlines()、Path.read_bytes() 等）。图片文件夹里的文件可能比你的内存还大。请一次读写一块：data = source_file.read(CHUNK_SIZE)，循环直到它返回 b''。",
    },
})


def _copy(scene: Scene, name: str, source: Path, dest: Path, trace_memory: bool = False) -> dict:
    """Have the host call copy_file(name, source, dest), folder paths as strings; its observation."""
    return scene.play("copy", name=name, source=str(source), dest=str(dest), trace_memory=trace_memory).observation


def _copy_all(scene: Scene, files: list[tuple[str, bytes]], source: Path, dest: Path, workdir: Path) -> list[Copied]:
    """Write ``files`` into ``source``, have each copied with copy_file, and return what came out in ``dest``.

    The host copies them in as few requests as it can (``copy_each``); each copy is looked at here
    in order, before any later one is asked for when it is missing.
    """
    for name, data in files:
        copy_data.write(source / name, data)
    dest.mkdir(parents=True, exist_ok=True)
    copies: list[Copied] = []
    while len(copies) < len(files):
        waiting = files[len(copies):]
        played = scene.play("copy_each", names=[name for name, _ in waiting], source=str(source), dest=str(dest))
        failure = played.kept_mistake("failure")
        copied = played.observation.get("copied")
        if not isinstance(copied, int) or isinstance(copied, bool) or not 0 <= copied <= len(waiting) \
                or (copied == 0 and failure is None):
            what = "a copy_each observation of the learner host that counts no copy it made"
            scene.channel.report(what)
            raise Mistake("tampered", what=what)
        for name, data in waiting[:copied]:
            copies.append(_looked_at(name, data, source, dest, workdir, files))
        if failure is not None:
            # Name the first file that went wrong: an earlier copy may already show why.
            raise copy_data.diagnose(copies, FUNCTION, str(dest)) or failure
    return copies


def _looked_at(name: str, data: bytes, source: Path, dest: Path, workdir: Path,
               files: list[tuple[str, bytes]]) -> Copied:
    """What one copy_file call left: its source unchanged, and its copy (a file elsewhere is a wrong path)."""
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
    return Copied(name, data, copy)


def _expect_exact(copies: list[Copied], dest: Path) -> None:
    """Every copy has the original's bytes, in a file of its own (not a link to the source)."""
    mistake = copy_data.diagnose(copies, FUNCTION, str(dest)) or copy_data.not_a_real_copy(dest, [c.name for c in copies])
    if mistake is not None:
        raise mistake


def _status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/{pid}/status")


def _resident_growth(pid: int, run: Callable[[], dict]) -> tuple[dict, int | None]:
    """Run ``run()``; return what it returned and how far process ``pid``'s resident memory (as the
    kernel counts it) rose above its level at the start, in bytes; None where the kernel does not
    tell (no /proc/<pid>/clear_refs).

    Writing 5 to clear_refs resets the peak (VmHWM) to the current resident size, so the peak read
    afterwards is this call's. The kernel sees what the Python heap does not: a file mapped whole
    with mmap, a buffer from a C extension. The process could reset its own peak the same way:
    the tamper hook reports that (its ``/proc/self/clear_refs``).
    """
    try:
        with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        before = _status_kib(pid, "VmRSS")
    except OSError:
        return run(), None
    seen = run()
    return seen, (_status_kib(pid, "VmHWM") - before) * 1024


@check("copies any content byte for byte: empty, NUL bytes, not UTF-8, \\r\\n line ends",
       "任何内容都一字节不差地拷贝：空文件、NUL 字节、非 UTF-8、\\r\\n 换行", points=2)
def test_copies_any_content_exactly(scene: Scene, rng: random.Random, workdir: Path) -> None:
    files = [(copy_data.plain_name(rng, kind), data) for kind, data in copy_data.special_contents(rng)]
    source, dest = workdir / "source", workdir / "dest"
    _expect_exact(_copy_all(scene, files, source, dest, workdir), dest)


@check("copies files of every size, one byte either side of the chunk sizes",
       "各种大小的文件都拷贝完整，包括比块大小多一个或少一个字节的文件", points=2)
def test_copies_every_size(scene: Scene, rng: random.Random, workdir: Path) -> None:
    # The learner's CHUNK_SIZE is the host's word: it only adds sizes around it to the common ones.
    sizes = copy_data.sizes_around_chunks(rng, scene.play("chunk_size").observation.get("chunk_size"))
    files = [(copy_data.plain_name(rng, f"size-{size}"), rng.randbytes(size)) for size in sizes]
    source, dest = workdir / "source", workdir / "dest"
    _expect_exact(_copy_all(scene, files, source, dest, workdir), dest)


@check("copies files whose names and folders have spaces and Chinese characters",
       "文件名和文件夹名带空格、中文时也能拷贝")
def test_copies_tricky_names(scene: Scene, rng: random.Random, workdir: Path) -> None:
    # One name of every pattern, in every run: no extension, several dots, spaces, Chinese, emoji.
    names = copy_data.tricky_names(rng, len(copy_data.TRICKY_NAMES))
    files = [(name, rng.randbytes(rng.randint(1, 5000))) for name in names]
    source = workdir / f"源 文件夹 {rng.randrange(100)}"
    dest = workdir / f"目标 folder {rng.randrange(100)}"
    _expect_exact(_copy_all(scene, files, source, dest, workdir), dest)


@check("replaces a file of the same name already in dest_dir", "替换 dest_dir 里已有的同名文件")
def test_replaces_an_existing_file(scene: Scene, rng: random.Random, workdir: Path) -> None:
    name = copy_data.plain_name(rng, "photo")
    new = rng.randbytes(rng.randint(100, 5000))
    old = rng.randbytes(len(new) + rng.randint(50, 3000))  # longer, so that leftovers of it show
    source, dest = workdir / "source", workdir / "dest"
    copy_data.write(source / name, new)
    copy_data.write(dest / name, old)
    _copy(scene, name, source, dest)
    mistake = (copy_data.diagnose_replaced(name, old, new, copy_data.read_or_none(dest / name), str(dest), FUNCTION)
               or copy_data.not_a_real_copy(dest, [name]))
    if mistake is not None:
        raise mistake


@check("copies a large file in chunks, never holding it whole in memory",
       "按块拷贝大文件，从不把整个文件放进内存", points=2)
def test_copies_in_chunks(scene: Scene, rng: random.Random, workdir: Path) -> None:
    name = copy_data.plain_name(rng, "large")
    data = copy_data.large_content(rng)
    size = len(data)
    source, dest = workdir / "source", workdir / "dest"
    copy_data.write(source / name, data)
    dest.mkdir()
    # The copy runs in the host, the checker started it: the pid is the checker's own knowledge.
    seen, resident = _resident_growth(scene.channel.pid, lambda: _copy(scene, name, source, dest, trace_memory=True))
    _expect_exact([Copied(name, data, copy_data.read_or_none(dest / name))], dest)
    traced = seen.get("traced_peak")
    peak = max(resident or 0, traced if isinstance(traced, int) and not isinstance(traced, bool) else 0)
    if peak >= copy_data.HELD_WHOLE:
        raise Mistake("whole_file_in_memory", size_mib=round(size / (1 << 20), 1), peak_mib=round(peak / (1 << 20), 1))
