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
    # (message key or check name, en, zh): the hint for that failure, shown before the general ones
    focused: tuple[tuple[str, str, str], ...] = ()

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

    def hint_for(self, failure: str, lang: str) -> str | None:
        """The hint for the failure ``failure`` (a message key or a check's name): this exercise's own, else a shared one."""
        for key, en, zh in self.focused + SHARED_FOCUSED:
            if key == failure:
                return zh if lang == "zh" else en
        return None


# Hints for mistakes that several exercises share, keyed by their message key.
SHARED_FOCUSED: tuple[tuple[str, str, str], ...] = (
    ("ran_via_run", "Call start(), not run(): run() calls the target in your own process, start() makes a new one.",
     "调用 start() 而不是 run()：run() 在你自己的进程里调用目标函数，start() 才会创建新进程。"),
    ("ran_in_thread", "threading.Thread runs in the same process: use multiprocessing.Process.",
     "threading.Thread 在同一个进程里运行：请使用 multiprocessing.Process。"),
    ("ran_directly", "Do not call the function yourself: give it as target=... to multiprocessing.Process and start() that.",
     "不要自己调用这个函数：把它作为 target=... 传给 multiprocessing.Process，再调用 start()。"),
    ("cannot_pickle", "Define the target with def at the top level of your module: no lambda, no function inside a function.",
     "用 def 在模块最外层定义目标函数：不要用 lambda，也不要在函数里面定义函数。"),
    ("import_started_processes", "Move the code that starts processes under if __name__ == \"__main__\": or into a function.",
     "把启动进程的代码移到 if __name__ == \"__main__\": 下面，或放进函数里。"),
    ("timeout", "Look for a join() on a process that never ends, or a loop whose condition never changes.",
     "找一找：是不是对一个永远不会结束的进程调用了 join()，或者有一个条件永远不变的循环。"),
    ("lines_too_close", "Call time.sleep(delay) after every print, inside the loop.",
     "在循环里，每次 print 之后都调用 time.sleep(delay)。"),
    ("leaked_processes", "join() every process you start before your function returns.",
     "在函数返回之前，对你启动的每个进程都调用 join()。"),
)


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "ex01_create_process", "§1 §3 §4", "Create a process", "创建进程",
        (
            ("multiprocessing.Process(target=..., name=...) creates the process object; do not call start() here.",
             "用 multiprocessing.Process(target=..., name=...) 创建进程对象；这里不要调用 start()。"),
            ("Pass the function itself as target (target=target), not its result (target=target()).",
             "target 要传函数本身（target=target），不要传调用结果（target=target()）。"),
        ),
        (
            ("started_too_early", "Return the Process object without calling start(): the caller starts it.",
             "返回进程对象，不要调用 start()：由调用者来启动它。"),
            ("target_ran_early", "target=target, not target=target(): with the brackets the function runs right away, in your process.",
             "写 target=target，不要写 target=target()：加了括号，函数会立刻在你的进程里运行。"),
            ("wrong_name", "Pass the name on: Process(target=target, name=name).",
             "把名字传进去：Process(target=target, name=name)。"),
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
        (
            ("missing_join", "join() the process before you read exitcode: it is None while the child runs.",
             "读取 exitcode 之前先 join()：子进程运行期间 exitcode 是 None。"),
            ("returned_process", "Return p.exitcode (a number), not the Process object p.",
             "返回 p.exitcode（一个数字），不要返回进程对象 p。"),
            ("returned_pid", "Return p.exitcode, not p.pid: the exit code says how the child ended.",
             "返回 p.exitcode，不要返回 p.pid：退出码说明子进程是怎样结束的。"),
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
        (
            ("one_after_the_other", "Start both processes before you join either: start, start, join, join.",
             "先把两个进程都启动，再 join 其中任何一个：start、start、join、join。"),
            ("returned_early", "join() both processes before sing_and_dance returns.",
             "在 sing_and_dance 返回之前，对两个进程都调用 join()。"),
            ("wrong_arguments", "Pass both values on: args=(num, delay).",
             "把两个值都传进去：args=(num, delay)。"),
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
        (
            ("missing_comma", "One value in a tuple needs a comma: args=(value,).",
             "只有一个值的元组要加逗号：args=(value,)。"),
            ("wrong_order", "args follows the order of the task's parameters: args=(name, num).",
             "args 的顺序要和任务函数的参数顺序一致：args=(name, num)。"),
            ("args_instead_of_kwargs", "This one passes by name: kwargs={\"name\": name, \"num\": num}.",
             "这一个要按名字传：kwargs={\"name\": name, \"num\": num}。"),
            ("kwargs_instead_of_args", "This one passes by position: args=(name, num).",
             "这一个要按位置传：args=(name, num)。"),
            ("wrong_keys", "kwargs keys are the parameter names, as strings: \"name\" and \"num\".",
             "kwargs 的键就是参数名（字符串）：\"name\" 和 \"num\"。"),
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
        (
            ("ids_swapped", "os.getpid() is this process, os.getppid() its parent: check which goes where.",
             "os.getpid() 是当前进程，os.getppid() 是它的父进程：检查一下哪个放在哪里。"),
            ("reporters_not_joined", "Start them all, then join them all, before returning the list.",
             "先全部启动，再全部 join()，然后再返回列表。"),
            ("reporters_one_at_a_time", "One loop that starts every process, then a second loop that joins every one.",
             "先用一个循环启动所有进程，再用第二个循环对每个进程 join()。"),
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
        (
            ("joined_inside", "Do not join() inside start_worker: return the started process at once.",
             "不要在 start_worker 里 join()：启动之后立刻返回进程。"),
            ("daemon_worker", "Leave daemon at its default (False): a daemon child is stopped when the program ends.",
             "daemon 保持默认值（False）：守护子进程会在程序结束时被停止。"),
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
        (
            ("not_a_daemon", "Process(target=work, args=(num, delay), daemon=True).",
             "写成 Process(target=work, args=(num, delay), daemon=True)。"),
            ("daemon_set_too_late", "Set daemon = True before start(): afterwards it is too late.",
             "要在 start() 之前设置 daemon = True：之后再设置就来不及了。"),
            ("joined_inside", "Do not join() the daemon: return it right after start().",
             "不要 join() 守护进程：start() 之后立刻返回它。"),
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
        (
            ("text_mode", "Open with 'rb' and 'wb': bytes in, the same bytes out.",
             "用 'rb' 和 'wb' 打开：读进来什么字节，就原样写出去。"),
            ("only_first_chunk", "Read in a loop: while chunk := source.read(size): dest.write(chunk).",
             "循环读取：while chunk := source.read(size): dest.write(chunk)。"),
            ("last_chunk_lost", "Write every chunk, the last short one too; stop only when read() returns b''.",
             "每一块都要写入，包括最后那块较短的；只有 read() 返回 b'' 时才停止。"),
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
        (
            ("returned_too_early", "Keep every Process in a list; join() them all before returning.",
             "把每个进程都放进列表；返回之前对它们全部 join()。"),
            ("dest_exists_error", "os.makedirs(dest_dir, exist_ok=True) does not fail when the folder is there.",
             "os.makedirs(dest_dir, exist_ok=True) 在文件夹已存在时不会出错。"),
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
        (
            ("failure_swallowed", "Call .get() on every result: a failed copy raises only there.",
             "对每个结果都调用 .get()：复制失败的异常只会在那里抛出。"),
            ("stopped_at_first_failure", "Read every result, collecting the failures; raise after the loop.",
             "读取每个结果，把失败记下来；循环结束之后再抛出异常。"),
            ("pool_of_one", "Pool(workers), not Pool(1): the pool's size is the parameter.",
             "Pool(workers)，不是 Pool(1)：进程池的大小就是这个参数。"),
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
        (
            ("one_after_another", "Hand all the chunks to the pool at once (starmap), not one by one with a wait after each.",
             "把所有区间一次交给进程池（starmap），不要一个一个地提交、每个都等它完成。"),
            ("part_in_caller", "Every chunk goes to the pool: the caller only adds the partial sums.",
             "每个区间都交给进程池计算：调用者只负责把部分和相加。"),
        ),
    ),
)


class UnknownExercise(ValueError):
    """A name that matches no exercise of the catalogue."""


def find(name: str) -> Exercise:
    """The exercise named ``name`` as a learner types it: ``ex03``, ``ex3``, ``3``, ``03``, ``ex03_multitasking``,
    ``ex03_multitasking.py`` or a path to its file (``exercises/ex03_multitasking.py``)."""
    wanted = name.strip().replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower().removesuffix(".py")
    number = wanted.removeprefix("ex")
    for exercise in EXERCISES:
        if wanted in (exercise.module, exercise.id) or (number.isdigit() and int(number) == exercise.number):
            return exercise
    raise UnknownExercise(name)
