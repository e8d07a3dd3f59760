"""The curriculum: one ordered list of exercises. Everything else reads it.

Adding an exercise is adding an entry here and a checks module ``grader/checks/<module>.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CHECKS_DIR = Path(__file__).parent / "checks"


@dataclass(frozen=True)
class Exercise:
    """One exercise: its module name, the tutorial sections it follows, its title and hints."""

    module: str
    sections: str
    title_en: str
    title_zh: str
    hints: tuple[tuple[str, str], ...] = ()  # (en, zh) pairs, from a nudge to nearly the answer

    @property
    def id(self) -> str:
        """The short name, e.g. ``ex03``."""
        return self.module.split("_", 1)[0]

    @property
    def number(self) -> int:
        return int(self.id[2:])

    @property
    def filename(self) -> str:
        return f"{self.module}.py"

    @property
    def checks_path(self) -> Path:
        return CHECKS_DIR / self.filename

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def hint(self, level: int, lang: str) -> str:
        """The hint at ``level`` (0 is the gentlest), clamped to the last one."""
        en, zh = self.hints[min(level, len(self.hints) - 1)]
        return zh if lang == "zh" else en


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "ex01_create_process", "§1 §3 §4", "Create a process", "创建进程",
        (
            ("multiprocessing.Process(target=..., name=...) creates the process object; do not call start() here.",
             "用 multiprocessing.Process(target=..., name=...) 创建进程对象；这里不要调用 start()。"),
            ("Pass the function itself as target (target=target), not its result (target=target()).",
             "target 要传函数本身（target=target），不要传调用结果（target=target()）。"),
        ),
    ),
    Exercise(
        "ex02_start_vs_run", "§3", "start() versus run()", "start() 与 run()",
        (
            ("start() creates a new process; run() only calls the function in the current one.",
             "start() 会创建新进程；run() 只是在当前进程里直接调用函数。"),
            ("After start(), call join() before reading exitcode: until the child ends, exitcode is None.",
             "start() 之后要先 join() 再读 exitcode：子进程结束之前 exitcode 是 None。"),
        ),
    ),
    Exercise(
        "ex03_multitasking", "§5", "Sing and dance at the same time", "唱歌跳舞同时进行",
        (
            ("Make two Process objects, start both, and only then join both.",
             "创建两个进程对象，先把两个都 start()，然后再分别 join()。"),
            ("start(); join(); start(); join() runs them one after the other: the second waits for the first.",
             "start(); join(); start(); join() 会一个接一个地执行：第二个要等第一个结束。"),
            ("Nearly the answer: sing1 = Process(target=sing, args=(num, delay)); dance1 = ...; sing1.start(); dance1.start(); sing1.join(); dance1.join()",
             "几乎就是答案了：sing1 = Process(target=sing, args=(num, delay)); dance1 = ...; sing1.start(); dance1.start(); sing1.join(); dance1.join()"),
        ),
    ),
    Exercise(
        "ex04_task_arguments", "§6", "Pass arguments to a task", "进程执行带有参数的任务",
        (
            ("args is a tuple in the order of the task's parameters; kwargs is a dict keyed by parameter names.",
             "args 是元组，顺序要和任务函数的参数一致；kwargs 是字典，键要和参数名一致。"),
            ("A tuple of one value needs a comma: (value,). (value) is just value in brackets.",
             "只有一个元素的元组要加逗号：(value,)。(value) 只是加了括号的 value。"),
        ),
    ),
    Exercise(
        "ex05_process_ids", "§7", "Process ids", "获取进程编号",
        (
            ("os.getpid() is the current process's id, os.getppid() its parent's.",
             "os.getpid() 是当前进程的编号，os.getppid() 是父进程的编号。"),
            ("Start all the reporters first, then join them all, and return the list of Process objects.",
             "先启动所有进程，再逐个 join()，最后返回进程对象的列表。"),
        ),
    ),
    Exercise(
        "ex06_main_waits", "§8", "The main process waits for its children", "主进程会等待子进程结束",
        (
            ("start_worker must return right after start(): no join() inside it.",
             "start_worker 在 start() 之后立刻返回：里面不要 join()。"),
            ("A normal (non-daemon) child keeps the program alive until it has finished.",
             "普通（非守护）子进程会让程序一直等到它执行完毕。"),
        ),
    ),
    Exercise(
        "ex07_daemon", "§8", "Daemon processes", "守护进程",
        (
            ("daemon=True makes the child stop when the main process ends.",
             "daemon=True 让子进程在主进程结束时被停止。"),
            ("Set daemon before start(): Process(target=work, args=..., daemon=True), or p.daemon = True then p.start().",
             "daemon 要在 start() 之前设置：Process(target=work, args=..., daemon=True)，或先 p.daemon = True 再 p.start()。"),
        ),
    ),
    Exercise(
        "ex08_copy_file", "§9", "Copy one file", "拷贝一个文件",
        (
            ("Open both files in binary mode ('rb' and 'wb'): text mode changes bytes.",
             "两个文件都要用二进制模式打开（'rb' 和 'wb'）：文本模式会改变字节。"),
            ("Read in chunks in a loop until read() returns b'' and write every chunk.",
             "循环分块读取，直到 read() 返回 b''，每一块都要写入。"),
        ),
    ),
    Exercise(
        "ex09_copy_folder", "§9", "The folder copier", "文件夹拷贝器",
        (
            ("os.makedirs(dest_dir, exist_ok=True) creates the folder only when missing.",
             "os.makedirs(dest_dir, exist_ok=True) 只在文件夹不存在时创建它。"),
            ("Start one process per regular file (os.path.isfile), keep them in a list, join them all, check each exitcode.",
             "每个普通文件（os.path.isfile）启动一个进程，把进程放进列表，全部 join()，再检查每个 exitcode。"),
        ),
    ),
    Exercise(
        "ex10_copy_folder_pool", "§9+", "A bounded pool of copiers", "用进程池拷贝",
        (
            ("multiprocessing.Pool(workers) keeps at most workers processes; os.walk visits subfolders.",
             "multiprocessing.Pool(workers) 最多保持 workers 个进程；os.walk 可以遍历子文件夹。"),
            ("Read every task's result (.get()): an error in a task is only raised when you read its result.",
             "每个任务的结果都要读取（.get()）：任务里的错误只有在读取结果时才会抛出。"),
        ),
    ),
    Exercise(
        "ex11_cpu_speedup", "§2", "What multiple processes are for", "多进程的作用",
        (
            ("Split range(0, stop) into workers contiguous chunks; the last one takes the remainder.",
             "把 range(0, stop) 分成 workers 段连续的区间；最后一段包含余下的部分。"),
            ("Compute the chunks with a Pool(workers) (starmap) and add the partial sums.",
             "用 Pool(workers) 的 starmap 计算各段，再把部分和相加。"),
        ),
    ),
)


class UnknownExercise(ValueError):
    """A name that matches no exercise of the catalogue."""


def find(name: str) -> Exercise:
    """The exercise named ``name``: ``ex03``, ``3``, ``03`` or ``ex03_multitasking``."""
    wanted = name.strip().lower().removesuffix(".py")
    for exercise in EXERCISES:
        if wanted in (exercise.module, exercise.id) or (wanted.isdigit() and int(wanted) == exercise.number):
            return exercise
    raise UnknownExercise(name)
