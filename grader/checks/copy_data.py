"""Test data and comparison for the copying exercises (ex08, ex09, ex10).

Files are made afresh by each check, from its ``rng``, in the grading scratch folder (never in the
submission). Copies are compared by content, byte for byte (never by size and time, as
``filecmp``'s shallow mode does), and a copy that differs is diagnosed: what the bytes show about
the code that made them (text mode, one chunk only, the last chunk lost, appended...).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest

from grader.grading.fixtures import Grading

from .. import messages
from ..messages import Mistake

# Chunk sizes learners choose (the tutorial reads 1024 bytes at a time; io and shutil use 8 KiB
# and 64 KiB): a loop that is off by one shows on a file one byte either side of its chunk.
COMMON_CHUNK_SIZES = (1024, 4096, 8192, 65536)

# The one large file of a check about memory, and how much of it the process copying it may hold at once.
# A chunk loop holds a chunk or two (the tutorial's 1 KiB, io's 8 KiB, shutil's 64 KiB, 1-4 MiB "buffers"
# seen in the wild); a whole-file read holds all of it (measured: 0.98-1.5 times the file, readlines the
# most). The limit is bytes, not a share of the drawn size, so that one program's verdict never depends on
# the seed: chunks of up to 5 MiB pass (4 MiB ones hold about 8), every whole read of 16-17 MiB is a quarter above.
LARGE_FILE_SIZES = (16 << 20, 17 << 20)
HELD_WHOLE = 12 << 20


def large_content(rng: random.Random) -> bytes:
    """The content of a large file: a random block of odd length, repeated to an odd length of 16-17 MiB.

    No chunk size that is a power of two divides the file or the block, so a chunk lost, doubled or
    out of order breaks the pattern. Drawing 14 MiB with ``rng.randbytes`` takes 0.15 s (0.2 s on a
    busy machine): the repetition takes a hundredth of it.
    """
    size = rng.randint(*LARGE_FILE_SIZES) | 1
    block = rng.randbytes(rng.randint(100_000, 200_000) | 1)
    return (block * (size // len(block) + 1))[:size]


# File names that break paths built by hand or commands built from strings. No precomposed
# accents: macOS may hand back such a name decomposed, another string than the one written.
TRICKY_NAMES = (
    "我的 照片 {n}.jpg",
    "two  spaces {n}",
    "数据-{n}.tar.gz",
    "{n} 跳舞。。。.dat",
    "notes (copy) {n}.txt",
    "音乐 🎵 {n}.bin",
)

MESSAGES = messages.define(__name__, {
    "not_a_real_copy": {
        "en": "{folder}/{name} has the right bytes, but it is {what} to the source file, not a copy: change the source and the \"copy\" changes too; delete the source and it is gone (or dangling). Create a new file: open it with 'wb' and write the bytes you read from the source.",
        "zh": "{folder}/{name} 的内容是对的，但它是指向源文件的链接（{what}），而不是副本：修改源文件，“副本”也跟着变；删除源文件，它也就没了（或者失效）。请新建一个文件：用 'wb' 打开它，把从源文件读到的字节写进去。",
    },
    "not_copied": {
        "en": "After {function} returned there is no file {name!r} in dest_dir ({folder}): nothing was written there. Is the destination path built from dest_dir and the file's name?",
        "zh": "{function} 返回后，dest_dir（{folder}）里没有文件 {name!r}：什么都没有写到那里。目标路径是由 dest_dir 和文件名拼出来的吗？",
    },
    "wrong_path": {
        "en": "{function} used the path {path!r}, but the file is {expected!r}. Build paths with os.path.join(folder, file_name) (or pathlib's /): a path joined by hand with '\\\\' works on Windows only, and one without the folder points somewhere else.",
        "zh": "{function} 使用的路径是 {path!r}，而文件实际是 {expected!r}。请用 os.path.join(文件夹, 文件名)（或 pathlib 的 /）拼接路径：用 '\\\\' 手工拼接的路径只在 Windows 上有效，漏掉文件夹的路径则指向了别处。",
    },
    "text_mode": {
        "en": "The copy of {name!r} has {got} bytes, the original {expected}: its line ends were rewritten ({original_ends} became {copy_ends}). The files were opened in text mode, which translates line ends. Open them in binary mode: 'rb' to read, 'wb' to write.",
        "zh": "{name!r} 的拷贝有 {got} 个字节，原文件有 {expected} 个：换行符被改写了（{original_ends} 变成了 {copy_ends}）。文件是以文本模式打开的，文本模式会转换换行符。请用二进制模式打开：读用 'rb'，写用 'wb'。",
    },
    "text_mode_failed": {
        "en": "{function} failed on {name!r}, a file whose bytes are not UTF-8 text, with {error}. The file was read in text mode, which decodes bytes into characters; pictures and other binary files cannot be decoded. Open the files in binary mode: 'rb' to read, 'wb' to write.",
        "zh": "{function} 在拷贝 {name!r}（其中的字节不是 UTF-8 文本）时出错：{error}。文件是以文本模式读取的，文本模式会把字节解码成字符，而图片等二进制文件无法解码。请用二进制模式打开：读用 'rb'，写用 'wb'。",
    },
    "only_first_chunk": {
        "en": "The copy of {name!r} has only its first {got} bytes of {expected}, and every larger file stopped at {got} bytes too: only the first chunk was copied. Read and write in a loop until read() returns b''.",
        "zh": "{name!r} 的拷贝只有前 {got} 个字节（原文件 {expected} 个），更大的文件也都停在 {got} 个字节：只拷贝了第一块。请循环读写，直到 read() 返回 b''。",
    },
    "last_chunk_lost": {
        "en": "The copy of {name!r} has {got} of its {expected} bytes: the first {got} are right, the last {missing} are missing. The last chunk of a file is usually shorter than the others: is it dropped, by a loop that stops when a chunk is shorter than the chunk size, or that stops before writing what it read? Stop only when read() returns b'', and write every chunk you read.",
        "zh": "{name!r} 的拷贝有 {got} 个字节（原文件 {expected} 个）：前 {got} 个字节正确，最后 {missing} 个字节丢了。文件的最后一块通常比其他块短：是不是被丢掉了？比如循环在读到的块小于块大小时就停止，或者读到后还没写就退出了。只有在 read() 返回 b'' 时才停止，并且读到的每一块都要写入。",
    },
    "extra_bytes": {
        "en": "The copy of {name!r} has {got} bytes, the original {expected}: it starts right but ends with {extra} bytes too many. Is a whole buffer written although fewer bytes were read into it (with readinto, write buf[:n])?",
        "zh": "{name!r} 的拷贝有 {got} 个字节，原文件 {expected} 个：开头正确，但末尾多了 {extra} 个字节。是不是读到的字节比缓冲区少，却把整个缓冲区都写了进去（用 readinto 时要写 buf[:n]）？",
    },
    "appended": {
        "en": "dest_dir ({folder}) already held a file {name!r} of {old} bytes. After the copy it has {got} bytes: the old content, then the new. The destination was opened for appending ('ab'); open it with 'wb', which empties the file first.",
        "zh": "dest_dir（{folder}）里原来已有一个 {old} 个字节的文件 {name!r}。拷贝之后它有 {got} 个字节：先是旧内容，后面才是新内容。目标文件是以追加模式（'ab'）打开的；请用 'wb' 打开，它会先清空文件。",
    },
    "old_tail_left": {
        "en": "dest_dir ({folder}) already held a file {name!r} of {old} bytes. After the copy it starts with the {expected} new bytes but still ends with {left} bytes of the old file: it was overwritten without being emptied. Open the destination with 'wb', which empties the file first.",
        "zh": "dest_dir（{folder}）里原来已有一个 {old} 个字节的文件 {name!r}。拷贝之后它以新的 {expected} 个字节开头，但末尾还留着旧文件的 {left} 个字节：文件被覆盖写入却没有先清空。请用 'wb' 打开目标文件，它会先清空文件。",
    },
    "copy_differs": {
        "en": "The copy of {name!r} is not the same as the original: {got} bytes against {expected}, and the first byte that differs is at offset {offset}. A copy must have exactly the bytes of the original: open both files in binary mode and write every byte read, unchanged.",
        "zh": "{name!r} 的拷贝和原文件不一样：拷贝 {got} 个字节，原文件 {expected} 个，第一个不同的字节在偏移 {offset} 处。拷贝必须和原文件的字节完全相同：两个文件都用二进制模式打开，读到的每个字节原样写入。",
    },
    "source_changed": {
        "en": "Copying {name!r} changed the original: it had {before} bytes and now has {after} (or other bytes). Open the source for reading only ('rb').",
        "zh": "拷贝 {name!r} 时改动了原文件：它原来有 {before} 个字节，现在有 {after} 个（或内容变了）。源文件只能以只读方式（'rb'）打开。",
    },
})


@pytest.fixture
def workdir(grading: Grading, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh, empty folder for this check's files, in the scratch folder; removed afterwards."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder = grading.scratch / "files" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def special_contents(rng: random.Random) -> list[tuple[str, bytes]]:
    """(kind, bytes): contents that text-mode copies and off-by-one loops get wrong. CRLF text first."""
    words = ["唱歌", "跳舞", "hello", "数据", "line", "进程"]
    lines = [f"{rng.choice(words)} {rng.randrange(10**4)}" for _ in range(rng.randint(20, 60))]
    crlf = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lone_cr = "\r".join(lines[: rng.randint(3, 10)]).encode("utf-8")
    nul = bytes(rng.choice((0, 0, 0, rng.randrange(256))) for _ in range(rng.randint(200, 3000)))
    not_utf8 = b"\xff\xfe" + bytes(rng.randrange(128, 256) for _ in range(rng.randint(100, 2000)))
    return [
        ("crlf", crlf),
        ("empty", b""),
        ("one-byte", bytes([rng.randrange(256)])),
        ("nul-bytes", nul),
        ("not-utf8", not_utf8),
        ("lone-cr", lone_cr),
        ("binary", rng.randbytes(rng.randint(70_000, 140_000))),  # more than the usual chunks
    ]


def sizes_around_chunks(rng: random.Random, learner_chunk: object = None) -> list[int]:
    """File sizes one below, at and one above common chunk sizes, 1 MiB and the learner's own (up
    to half of :data:`HELD_WHOLE`: two larger chunks fail the memory check anyway), and random ones."""
    chunks = [*COMMON_CHUNK_SIZES, 1 << 20]
    if isinstance(learner_chunk, int) and not isinstance(learner_chunk, bool) and 2 <= learner_chunk <= HELD_WHOLE // 2:
        chunks.append(learner_chunk)
    sizes = {size for chunk in chunks for size in (chunk - 1, chunk, chunk + 1)}
    sizes.add(2 * rng.choice(chunks) + rng.randint(1, 999))
    sizes.update(rng.randint(2, 200_000) for _ in range(3))
    sizes.discard(0)
    ordered = sorted(sizes)
    rng.shuffle(ordered)
    return ordered


def plain_name(rng: random.Random, kind: str) -> str:
    return f"{kind}-{rng.randrange(10**6)}.bin"


def tricky_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct file names with spaces, Chinese characters, several dots, no extension..."""
    patterns = list(TRICKY_NAMES)
    rng.shuffle(patterns)
    return [patterns[i % len(patterns)].format(n=rng.randrange(10**5) * 10 + i) for i in range(count)]


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def digest(path: Path) -> str:
    """The SHA-256 of the file's content, read in chunks."""
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


def data_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entries(folder: Path) -> dict[str, str]:
    """Everything under ``folder``: relative path ('/'-separated) -> 'dir', 'file' or 'other'."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            kind = "dir" if path.is_dir() and not path.is_symlink() else "file" if path.is_file() else "other"
            found[rel] = kind
    return found


def not_a_real_copy(dest: Path, names: Iterable[str]) -> Mistake | None:
    """The first of ``names`` in ``dest`` that is a link to another file (symbolic or hard) rather than a file of its own."""
    for name in names:
        path = dest / name
        if path.is_symlink():
            return Mistake("not_a_real_copy", name=name, folder=str(dest), what="a symbolic link")
        try:
            links = path.stat().st_nlink
        except OSError:
            continue
        if links > 1:
            return Mistake("not_a_real_copy", name=name, folder=str(dest), what="a hard link")
    return None


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass(frozen=True)
class Copied:
    """One file the learner's code copied: its name (or relative path), the original and the copy."""

    name: str
    original: bytes
    copy: bytes | None  # None when there is no copy

    @property
    def exact(self) -> bool:
        return self.copy == self.original


def _line_ends(data: bytes) -> str:
    if b"\r\n" in data:
        return "\\r\\n"
    if b"\r" in data:
        return "\\r"
    return "\\n"


def _normalized(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def diagnose(copies: list[Copied], function: str, folder: str) -> Mistake | None:
    """The mistake that the first wrong copy shows, judged with all ``copies`` of the same code, or None."""
    wrong = [c for c in copies if not c.exact]
    if not wrong:
        return None
    first = wrong[0]
    if first.copy is None:
        return Mistake("not_copied", function=function, name=first.name, folder=folder)
    for c in wrong:
        if c.copy is not None and c.copy != c.original and _normalized(c.copy) == _normalized(c.original):
            return Mistake("text_mode", name=c.name, got=len(c.copy), expected=len(c.original),
                           original_ends=_line_ends(c.original), copy_ends=_line_ends(c.copy))
    truncated = [c for c in wrong if c.copy is not None and len(c.copy) < len(c.original)
                 and c.original.startswith(c.copy)]
    if first in truncated:
        lengths = {len(c.copy or b"") for c in truncated}
        # One chunk only: every longer file stops at the same length. Losing the last chunk
        # loses less than a chunk, so less than was kept, and empties files shorter than a chunk.
        kept = len(first.copy or b"")
        if 0 not in lengths and len(lengths) == 1 and (len(truncated) > 1 or len(first.original) - kept >= kept):
            return Mistake("only_first_chunk", name=first.name, got=kept, expected=len(first.original))
        # A copy that kept some of its bytes shows best what is lost.
        shown = next((c for c in truncated if c.copy), first)
        got = len(shown.copy or b"")
        return Mistake("last_chunk_lost", name=shown.name, got=got, expected=len(shown.original),
                       missing=len(shown.original) - got)
    assert first.copy is not None
    if len(first.copy) > len(first.original) and first.copy.startswith(first.original):
        return Mistake("extra_bytes", name=first.name, got=len(first.copy), expected=len(first.original),
                       extra=len(first.copy) - len(first.original))
    offset = next((i for i, (a, b) in enumerate(zip(first.copy, first.original)) if a != b),
                  min(len(first.copy), len(first.original)))
    return Mistake("copy_differs", name=first.name, got=len(first.copy), expected=len(first.original), offset=offset)


def diagnose_replaced(name: str, old: bytes, new: bytes, copy: bytes | None, folder: str,
                      function: str) -> Mistake | None:
    """The mistake shown by a copy onto a file that already existed with content ``old``, or None."""
    if copy == new:
        return None
    if copy is not None and copy == old + new:
        return Mistake("appended", name=name, folder=folder, old=len(old), got=len(copy))
    if copy is not None and len(copy) > len(new) and copy.startswith(new) and old.endswith(copy[len(new):]):
        return Mistake("old_tail_left", name=name, folder=folder, old=len(old), expected=len(new),
                       left=len(copy) - len(new))
    return diagnose([Copied(name, new, copy)], function, folder)


def wrong_path_in(exc: BaseException | None, expected: list[str], function: str) -> Mistake | None:
    """A ``wrong_path`` mistake when ``exc`` is an OSError about a path that is none of ``expected``."""
    filename = getattr(exc, "filename", None) if isinstance(exc, OSError) else None
    if not isinstance(filename, (str, bytes, os.PathLike)):
        return None
    path = os.fsdecode(filename)
    if any(os.path.abspath(path) == os.path.abspath(e) for e in expected):
        return None
    closest = max(expected, key=lambda e: _shared_suffix(os.path.basename(e), path))
    return Mistake("wrong_path", function=function, **shortened(path, closest))


def shortened(path: str, expected: str) -> dict[str, str]:
    """``path`` and ``expected`` without the folders they share (but the last), for a readable message."""
    try:
        cut = len(os.path.commonpath([os.path.dirname(path) or ".", os.path.dirname(expected) or "."]))
    except ValueError:  # one relative, one absolute
        cut = 0
    if cut <= 1 or path[cut:cut + 1] != os.sep or expected[cut:cut + 1] != os.sep:
        return {"path": path, "expected": expected}
    return {"path": "…" + path[cut:], "expected": "…" + expected[cut:]}


def _shared_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def stray_files(folder: Path, expected: set[str]) -> list[str]:
    """Files under ``folder`` (relative paths) that none of ``expected`` accounts for."""
    return sorted(rel for rel, kind in entries(folder).items() if kind == "file" and rel not in expected)


def mentions(exc: BaseException | None, name: str) -> bool:
    """Whether ``exc``, or an exception it was raised from, mentions ``name`` (a file the learner must name)."""
    seen = 0
    while exc is not None and seen < 10:
        if name in str(exc) or name in repr(exc.args):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def copies_held(calls: Iterable[Any], caller: int, reported: Any, size: int) -> dict[str, Any] | None:
    """What the copies held at once, when that is :data:`HELD_WHOLE` or more (a mistake's
    values): the kernel's peak during each call, read by the witness (``calls``: SeenCall), or what a copying
    process measured of itself (``reported``: the host's [pid, bytes] pairs, which can only add) where that
    is higher; None when less, or where nothing says. A copy made in the caller itself (a thread, a direct
    call) is told by the checks of processes instead."""
    growths = [(c.pid, c.resident_growth) for c in calls if isinstance(c.resident_growth, int) and c.pid != caller]
    growths += [(pair[0], pair[1]) for pair in reported or [] if isinstance(pair, list) and len(pair) == 2
                and all(type(x) is int for x in pair)]
    return held_at_once(growths, size)


def held_at_once(growths: list[tuple[int, int]], size: int) -> dict[str, Any] | None:
    """The largest of ``growths`` ((pid, bytes its resident peak rose)) as a mistake's values, when it is
    :data:`HELD_WHOLE` or more: a copy that held the large file (``size`` bytes) whole."""
    if not growths:
        return None
    pid, peak = max(growths, key=lambda measured: measured[1])
    if peak < HELD_WHOLE:
        return None
    return {"pid": pid, "size_mib": round(size / (1 << 20), 1), "peak_mib": round(peak / (1 << 20), 1)}
