"""Checks of ex11_cpu_speedup: ``sum_of_squares(start, stop)`` and ``parallel_sum_of_squares(stop, workers)``.

The learner host calls them (grader.inside.scenes.ex11_cpu_speedup). Which processes computed the parts,
how each was called and the range it was given, and when each began, are the witness's facts; each
side of the race is timed by the checker's own clock, and the caller's CPU is the kernel's count. The
host's records: what the functions returned, when a part ended and the CPU it used, whether the first
two parts met, the processes the host's registry saw start, the calibration.

What is established, and how:

* The sums are right: ranges and sizes chosen afresh each run (empty ranges, negative starts,
  sizes that are not multiples of ``workers``, fewer numbers than workers, none at all), checked
  against a closed formula.
* The parts ran in separate processes at the same time: the module's ``sum_of_squares`` is
  replaced by a probe, in the child processes too, so every part is recorded with its pid, its
  range and its CPU time; the first two parts in processes of their own must meet (a rendezvous
  with patience derived from the cost of a process start, so load cannot break it; a meeting
  counts where the witness saw both calls under way at one moment); and the parts
  must cover ``range(0, stop)`` exactly once, with no more than ``workers`` processes at a time.
* It is faster than one process: the grader times one process of its own computing
  ``sum_of_squares(0, stop)`` (started the same way, so both sides pay for a process start) side
  by side with the learner's parallel call, with ``stop`` sized from a calibration of the learner's
  loop in the same run. A speed-up alone is never trusted: wrong code has already failed on what
  was observed above. Where no speed-up shows in up to three tries, the grader says why, with the
  numbers, and does not fail correct code for it: the machine was busy (the parts got less than a
  core each, or computed slower per number than one process alone), or starting processes
  outweighed the work. It fails the check on what it saw: parts so unbalanced that one process
  computed nearly everything, a ``sum_of_squares`` with no work to share (a formula), a call
  slower than one process whose calling process burnt a core while it waited, and, on free cores
  only, a call slower than one process that wasted time of its own (before its first process
  started or after its last part ended) or whose parts did not compute at the same time.
"""

from __future__ import annotations

import random
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, module_scene
from grader.grading.host_channel import Scene
from grader.inside.observe import DIRECT_CALL, IN_THREAD, VIA_RUN, max_alive_at_once

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import check, check_named, expect_finished_cleanly, meeting_patience, timeline_bars
from .speed_race import (
    HOG,
    PARALLEL,
    RACE_LIMIT,
    SUM,
    TRIES,
    Attempt,
    Parallel,
    Race,
    attempt,
    forged,
    parallel_call,
    returned,
    type_name,
    usable_cores,
)
from .squares import cover_problem, describe_parts, is_int, range_of, squares_between

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary").
HOST_MISTAKES = ()

MESSAGES = messages.define(__name__, {
    "wrong_sum": {
        "en": "sum_of_squares({start}, {stop}) returned {got}; expected {expected}, the sum of i*i for {start} <= i < {stop}.{hint}",
        "zh": "sum_of_squares({start}, {stop}) 返回了 {got}；预期是 {expected}，即 {start} <= i < {stop} 的所有 i*i 之和。{hint}",
    },
    "wrong_total": {
        "en": "parallel_sum_of_squares({stop}, {workers}) returned {got}; expected {expected}, the same as sum_of_squares(0, {stop}).{hint} The parts that sum_of_squares computed: {parts}.",
        "zh": "parallel_sum_of_squares({stop}, {workers}) 返回了 {got}；预期是 {expected}，和 sum_of_squares(0, {stop}) 相同。{hint} sum_of_squares 计算的各段：{parts}。",
    },
    "no_process": {
        "en": "parallel_sum_of_squares({stop}, {workers}) started no process and never called sum_of_squares: it computed everything in the calling process. Split range(0, stop) into parts and compute each with sum_of_squares in a process of a multiprocessing.Pool(workers): pool.starmap(sum_of_squares, parts).",
        "zh": "parallel_sum_of_squares({stop}, {workers}) 没有启动任何进程，也没有调用 sum_of_squares：所有计算都在调用者的进程里完成。请把 range(0, stop) 分成几段，在 multiprocessing.Pool(workers) 的进程里用 sum_of_squares 计算每一段：pool.starmap(sum_of_squares, parts)。",
    },
    "parts_not_seen": {
        "en": "parallel_sum_of_squares({stop}, {workers}) started {count} process(es) (running {targets}), but none of them called sum_of_squares, so the parts could not be seen. Compute each part by calling sum_of_squares(start, stop) in the child processes, e.g. pool.starmap(sum_of_squares, parts).",
        "zh": "parallel_sum_of_squares({stop}, {workers}) 启动了 {count} 个进程（运行的是 {targets}），但没有一个调用 sum_of_squares，所以看不到各段的计算。请在子进程里调用 sum_of_squares(start, stop) 计算每一段，例如 pool.starmap(sum_of_squares, parts)。",
    },
    "parts_in_threads": {
        "en": "The parts ran in threads ({threads}) of the calling process (pid {pid}), not in processes of their own. The threads of one process take turns running Python code, so they compute no faster than one thread. Use a process pool, multiprocessing.Pool(workers) or concurrent.futures.ProcessPoolExecutor, not ThreadPool / ThreadPoolExecutor / threading.Thread.",
        "zh": "各段在调用者进程（进程编号 {pid}）的线程（{threads}）里运行，而不是在各自的进程里。同一个进程的多个线程轮流执行 Python 代码，计算并不会比一个线程快。请使用进程池 multiprocessing.Pool(workers) 或 concurrent.futures.ProcessPoolExecutor，而不是 ThreadPool / ThreadPoolExecutor / threading.Thread。",
    },
    "part_in_caller": {
        "en": "sum_of_squares({start}, {stop}) ran in the calling process (pid {pid}) itself, not in a child process. Every part must be computed by the processes of the pool; the calling process only splits range(0, stop) and adds up what the parts return.",
        "zh": "sum_of_squares({start}, {stop}) 在调用者自己的进程（进程编号 {pid}）里运行，而不是在子进程里。每一段都要由进程池里的进程计算；调用者的进程只负责把 range(0, stop) 分段，再把各段的结果加起来。",
    },
    "parts_do_not_cover": {
        "en": "The parts computed by sum_of_squares do not cover range(0, {stop}) exactly once: {parts}. Every number from 0 to {last} belongs in exactly one part: the first part starts at 0, each next part starts where the previous one stopped, and the last part stops at {stop}.",
        "zh": "sum_of_squares 计算的各段没有把 range(0, {stop}) 不重不漏地覆盖一次：{parts}。从 0 到 {last} 的每个数都要恰好属于一段：第一段从 0 开始，每一段从上一段结束的地方开始，最后一段在 {stop} 结束。",
    },
    "one_process": {
        "en": "All {count} part(s) ran in one process (pid {pid}), one after another, so no two were ever computed at the same time: {parts}. Use a pool of workers processes, multiprocessing.Pool(workers), and hand it one part per process (pool.starmap(sum_of_squares, parts)).",
        "zh": "全部 {count} 段都在同一个进程（进程编号 {pid}）里一段接一段地计算，从来没有两段同时计算：{parts}。请使用有 workers 个进程的进程池 multiprocessing.Pool(workers)，每个进程分到一段（pool.starmap(sum_of_squares, parts)）。",
    },
    "one_after_another": {
        "en": "The parts ran in {count} processes ({pids}), but one after another: while the first part was running, no other part started, although the grader held that part back for {patience:.1f} s to give another one time to start. The parts computed at these times (seconds from the call): {times}. Did you wait for each process (join() or its result) before starting the next, or make them take turns with a lock? Start them all first, then wait for them all, or let a pool do it: pool.starmap(sum_of_squares, parts).",
        "zh": "各段在 {count} 个进程（{pids}）里运行，但是一个接一个：第一段运行时，没有任何别的段开始运行，尽管评分程序让第一段等了 {patience:.1f} 秒，好让别的段有时间启动。各段的计算时间（从调用开始算起的秒数）：{times}。是不是每启动一个进程就先等它结束（join() 或取它的结果）再启动下一个，或者用锁让它们轮流计算？请先把它们全部启动，再全部等待，或者交给进程池：pool.starmap(sum_of_squares, parts)。",
    },
    "more_processes_than_workers": {
        "en": "parallel_sum_of_squares({stop}, {workers}) had {most} processes running at once; the work is to be shared by workers={workers} processes. Create the pool with that number: multiprocessing.Pool(workers).",
        "zh": "parallel_sum_of_squares({stop}, {workers}) 同时有 {most} 个进程在运行；题目要求由 workers={workers} 个进程分担计算。请用这个数目创建进程池：multiprocessing.Pool(workers)。",
    },
    "no_loop": {
        "en": "sum_of_squares(0, {n}) took only {took:.6f} s of CPU time: it does not go through the numbers one by one (a formula?). In this exercise the loop is the heavy work that processes share, so there is nothing to speed up without it: write sum_of_squares as a for loop over range(start, stop).",
        "zh": "sum_of_squares(0, {n}) 只用了 {took:.6f} 秒 CPU 时间：它没有逐个遍历这些数（用了公式？）。本练习里，这个循环就是要由多个进程分担的繁重计算，没有它就没有什么可加速的：请用 for 循环遍历 range(start, stop) 来写 sum_of_squares。",
    },
    "unbalanced": {
        "en": "Process {pid} computed {share:.0%} of the numbers by itself ({parts}), so the others had almost nothing to do and it cannot be faster than one process. Split range(0, stop) into parts of about the same size, e.g. part k is range(stop * k // workers, stop * (k + 1) // workers).",
        "zh": "进程 {pid} 一个人计算了 {share:.0%} 的数（{parts}），其他进程几乎没事可做，所以不可能比一个进程快。请把 range(0, stop) 分成大小差不多的几段，例如第 k 段是 range(stop * k // workers, stop * (k + 1) // workers)。",
    },
    "not_faster": {
        "en": "Not faster than one process, although this machine had two free cores: one process computed sum_of_squares(0, {stop}) in {one:.2f} s (start and join included), parallel_sum_of_squares({stop}, {workers}) took {parallel:.2f} s ({tries} tries; numbers of the best). Of those {parallel:.2f} s, {before:.2f} s passed before the first part started, the parts computed for {computing:.2f} s, and {after:.2f} s passed after the last part ended; the calling process itself used {parent_cpu:.2f} s of CPU. Start the processes once, give each one big part, and wait for them with join() or the pool's results (never a sleep or a busy loop).",
        "zh": "虽然这台机器有两个空闲的核心，但并不比一个进程快：一个进程计算 sum_of_squares(0, {stop}) 用了 {one:.2f} 秒（包括启动和 join），parallel_sum_of_squares({stop}, {workers}) 却用了 {parallel:.2f} 秒（试了 {tries} 次，取最好的一次）。在这 {parallel:.2f} 秒里，第一段开始之前过了 {before:.2f} 秒，各段计算用了 {computing:.2f} 秒，最后一段结束之后又过了 {after:.2f} 秒；调用者的进程自己用了 {parent_cpu:.2f} 秒 CPU。请只启动一次进程，每个进程分一大段，用 join() 或进程池的结果来等待（不要用 sleep 或空转循环）。",
    },
    # Notes (informational, on a passed check).
    "parts": {
        "en": "The {count} part(s) ran in processes {pids} (the caller is pid {caller}), at least two of them at the same moment.",
        "zh": "这 {count} 段在进程 {pids} 中运行（调用者是进程 {caller}），至少有两段在同一时刻运行。",
    },
    "speedup": {
        "en": "One process computed sum_of_squares(0, {stop}) in {one:.2f} s (start and join included); parallel_sum_of_squares({stop}, {workers}) took {parallel:.2f} s: {ratio:.1f} times as fast. While the parts ran, {cores:.1f} cores were busy with them on average; {before:.2f} s went into starting the processes.",
        "zh": "一个进程计算 sum_of_squares(0, {stop}) 用了 {one:.2f} 秒（包括启动和 join）；parallel_sum_of_squares({stop}, {workers}) 用了 {parallel:.2f} 秒：快了 {ratio:.1f} 倍。各段运行期间，平均有 {cores:.1f} 个核心在为它们计算；启动进程花了 {before:.2f} 秒。",
    },
    "machine_busy": {
        "en": "Speed-up not measured: this machine was too busy to show one. While your parts ran, each got only {part_share:.0%} of a core on average (one process alone got {one_share:.0%}){slower}, because other programs were using the cores. Measured anyway ({tries} tries, the best): one process {one:.2f} s, parallel_sum_of_squares({stop}, {workers}) {parallel:.2f} s. Your parts did run in separate processes at the same time (checked above), so this is not held against you; on a machine with two free cores you would see the speed-up.",
        "zh": "没有测出加速：这台机器太忙，显示不出加速效果。你的各段运行时，平均每段只分到一个核心的 {part_share:.0%}（单独一个进程时分到 {one_share:.0%}）{slower}，因为其他程序在占用这些核心。仍然测得的数据（试了 {tries} 次，取最好的一次）：一个进程 {one:.2f} 秒，parallel_sum_of_squares({stop}, {workers}) {parallel:.2f} 秒。你的各段确实在不同的进程里同时计算（上面已经检查过），所以这一项不扣分；在有两个空闲核心的机器上你会看到加速效果。",
    },
    "one_core": {
        "en": "Speed-up not measured: this machine lets the grader use only {cores} CPU core, and processes are faster only when there are several cores to share the work. Not held against you.",
        "zh": "没有测出加速：这台机器只允许评分程序使用 {cores} 个 CPU 核心，而只有在多个核心分担计算时，多进程才会更快。这一项不扣分。",
    },
    "speedup_unclear": {
        "en": "The speed-up was too small to be sure of in {tries} tries: one process {one:.2f} s (start and join included), parallel_sum_of_squares({stop}, {workers}) {parallel:.2f} s at best, of which {before:.2f} s passed before the parts began computing: starting processes ({method} start method) weighs a lot next to this much work. Your parts did compute at the same time ({cores:.1f} cores busy on average), so this is not held against you.",
        "zh": "试了 {tries} 次，加速太小，无法确定：一个进程 {one:.2f} 秒（包括启动和 join），parallel_sum_of_squares({stop}, {workers}) 最好 {parallel:.2f} 秒，其中各段开始计算之前就过了 {before:.2f} 秒：和这么少的计算量相比，启动进程（{method} 启动方式）的开销很大。你的各段确实在同时计算（平均有 {cores:.1f} 个核心在忙），所以这一项不扣分。",
    },
})

# A process that computed this share of all the numbers left the others (almost) nothing.
UNBALANCED = 0.85
# The race's stop at most: the total then stays below 2**63, so code that gathers the parts in
# shared memory (multiprocessing.Value("q"), Array("q")) is exact, as the contract lets it be.
MAX_STOP = 3_000_000


def _sum_hint(start: int, stop: int, got: Any) -> Text:
    """What a wrong sum of squares looks like it did, in both languages (empty when unknown)."""
    if not is_int(got):
        return Text(f" It returned a {type_name(got)}, not an int: return the total.",
                f"它返回的是 {type_name(got)}，不是 int：请返回总和。")
    if start < stop:
        if got == squares_between(start, stop + 1):
            return Text(f" That includes {stop}*{stop}: the numbers stop before stop, as range(start, stop) does.",
                    f"这把 {stop}*{stop} 也算进去了：和 range(start, stop) 一样，不包括 stop 本身。")
        if got == squares_between(start + 1, stop):
            return Text(f" That leaves out {start}*{start}: the numbers begin at start itself.",
                    f"这漏掉了 {start}*{start}：要从 start 本身开始。")
        if got == squares_between(0, stop) and start != 0:
            return Text(" That is the sum from 0: begin at start (range(start, stop)).",
                    "这是从 0 开始的和：应当从 start 开始（range(start, stop)）。")
        if got == sum(range(start, stop)):
            return Text(" That is the sum of i, not of i*i.", "这是 i 的和，不是 i*i 的和。")
    return NO_TEXT


@check("sum_of_squares adds i*i for start <= i < stop", "sum_of_squares 计算 start <= i < stop 的 i*i 之和",
       blame=SUM)
def test_sum_of_squares(scene: Scene, rng: random.Random) -> None:
    low = rng.randint(0, 60)
    middle = rng.randint(-40, 40)
    ranges = [
        (low, low + rng.randint(500, 5000)),          # an ordinary range
        (-rng.randint(3, 60), rng.randint(1, 60)),    # from below zero to above it
        (-rng.randint(40, 90), -rng.randint(1, 30)),  # below zero only
        (middle, middle),                             # empty
        (middle, middle + 1),                         # one number only
        (middle + rng.randint(1, 20), middle),        # start after stop: empty too
        (0, rng.randint(20_000, 60_000)),             # bigger numbers
    ]
    for start, stop in ranges:  # one call a scene: the first wrong sum is told before the next call is made
        got = returned(scene.play("sum_of_squares", start=start, stop=stop).observation.get("result"))
        expected = squares_between(start, stop)
        if not is_int(got) or got != expected:
            raise Mistake("wrong_sum", start=start, stop=stop, got=repr(got)[:80], expected=expected,
                          hint=_sum_hint(start, stop, got))


def _total_hint(stop: int, got: Any, calls: list[Any]) -> Text:
    """Why a parallel total is wrong, in both languages, from what it returned and the parts seen."""
    if not is_int(got):
        return Text(f" It returned a {type_name(got)}, not an int: add up what the parts return.",
                f"它返回的是 {type_name(got)}，不是 int：请把各段返回的结果加起来。")
    if calls and cover_problem(calls, stop):
        return Text(f" The parts do not cover 0 <= i < {stop} exactly once: the first must start at 0, each next one "
                "where the previous one stopped, the last must stop at stop.",
                f"各段没有把 0 <= i < {stop} 不重不漏地覆盖一次：第一段从 0 开始，每一段从上一段结束处开始，"
                "最后一段在 stop 结束。")
    if calls and got != sum(squares_between(*(range_of(c) or (0, 0))) for c in calls):
        return Text(" The parts themselves were right: check how you add up their results.",
                "各段本身是对的：请检查把各段结果加起来的方法。")
    return NO_TEXT


def _expect_right_total(run: Parallel) -> None:
    if run.failure is not None:
        raise run.failure
    expected = squares_between(0, run.stop)
    if not is_int(run.result) or run.result != expected:
        raise Mistake("wrong_total", stop=run.stop, workers=run.workers, got=repr(run.result)[:80],
                      expected=expected, hint=_total_hint(run.stop, run.result, run.calls), parts=describe_parts(run.calls))


def _totals(scene: Scene, sizes: list[tuple[int, int]]) -> None:
    for stop, workers in sizes:
        _expect_right_total(parallel_call(scene, stop, workers, None))


@check("parallel_sum_of_squares returns the sum for sizes that do not split evenly",
       "parallel_sum_of_squares 在不能整除的规模下返回正确的和", points=2, timeout=30, blame=PARALLEL)
def test_parallel_total(scene: Scene, rng: random.Random) -> None:
    workers = rng.randint(2, 4)
    uneven = rng.randint(2_000, 40_000) * workers + rng.randint(1, workers - 1)
    even = rng.randint(2_000, 40_000) * workers  # code that hands the remainder out wrongly shows on one of the two
    _totals(scene, [(uneven, workers), (even, workers)])


@check("parallel_sum_of_squares is right with fewer numbers than workers, and with none",
       "parallel_sum_of_squares 在数比 workers 少、以及没有数时也正确", timeout=30, blame=PARALLEL)
def test_parallel_total_edge_cases(scene: Scene, rng: random.Random) -> None:
    workers = rng.randint(3, 4)
    # Every run: a single number for several workers, none at all, and a pool of one worker.
    _totals(scene, [(1, workers), (0, rng.randint(2, 3)), (rng.randint(1_000, 9_000), 1)])


# --- the race: the parts at the same time, and faster than one process ------------------------


def _host_start_cost(grading: Grading) -> float:
    """The cost of a process start in the learner host, as it measured it when it imported the learner's
    module (its word: it sizes the work and the patience, nothing is judged on it)."""
    measured = ((grading.host.prepared or {}).get("observation") or {}).get("start_cost")
    return float(measured) if isinstance(measured, (int, float)) and 0.0 <= measured <= RACE_LIMIT else 0.0


def _calibration(scene: Scene) -> tuple[int, float]:
    """n and the CPU seconds sum_of_squares(0, n) took in the host, n grown until they could be measured
    (the host's word: it sizes the race's work)."""
    found = scene.play("calibration").observation
    n, used = found.get("n"), found.get("used")
    if not (is_int(n) and n > 0 and isinstance(used, (int, float)) and used >= 0):
        raise forged(scene, "a calibration of the learner host that is not two numbers")
    return int(n), float(used)


@pytest.fixture(scope="module")
def race(grading: Grading) -> Iterator[Race]:
    """The first side-by-side measurement, played in the host; the speed check adds more when its numbers are
    unclear. Every process an attempt left running is the learner's leak, told when the race is over."""
    rng = random.Random(f"{grading.seed}/race")
    first = check_named(__name__, "test_parts_run_at_the_same_time")
    race = Race()
    try:
        race.scene = module_scene(grading, first.title.en, RACE_LIMIT, first.blame)
        race.caller = grading.host.pid
        race.start_cost = start_cost = _host_start_cost(grading)
        # Spent only by code that runs the parts one after another (the checks of the race may run RACE_LIMIT s).
        race.patience = meeting_patience(start_cost, RACE_LIMIT)
        n, used = _calibration(race.scene)
        if used < 0.02:  # no measurable work even for a billion numbers: not a loop
            race.no_loop = (n, used)
            race.stop = rng.randint(1_000_000, 3_000_000)
        else:
            # One process's work: far above the cost of starting processes, and a fraction of a
            # second where starting them is cheap. Chosen afresh each run (and never round).
            work = min(0.6, max(0.25, 6 * start_cost)) * rng.uniform(1.0, 1.15)
            race.stop = min(MAX_STOP, max(10_000, int(n * work / used))) | 1
            race.work = used * race.stop / n
        attempt(race)
    except Mistake as mistake:
        race.failure = mistake
    yield race
    if race.leak is not None:
        raise race.leak


def _threads(calls: list[Any]) -> str:
    return ", ".join(sorted({c.thread_name for c in calls}))


def _expect_parts_at_once(race: Race) -> Parallel:
    """Fail unless the first attempt's parts were right and ran in separate processes at the same time."""
    if race.failure is not None:
        raise race.failure
    run = race.first
    if run.failure is not None:
        raise run.failure
    calls = run.calls
    if not calls:
        if run.started:
            targets = ", ".join(sorted({e.target.rsplit(".", 1)[-1] or "?" for e in run.started}))
            raise Mistake("parts_not_seen", stop=run.stop, workers=run.workers, count=len(run.started),
                          targets=targets)
        raise Mistake("no_process", stop=run.stop, workers=run.workers)
    threaded = [c for c in calls if c.how == IN_THREAD]
    if threaded:
        raise Mistake("parts_in_threads", pid=threaded[0].pid, threads=_threads(threaded))
    for call in calls:
        if call.how == VIA_RUN:
            raise Mistake("ran_via_run", function=SUM, pid=call.pid)
        if call.how == DIRECT_CALL or call.pid == race.caller:
            span = range_of(call) or ("?", "?")
            raise Mistake("part_in_caller", start=span[0], stop=span[1], pid=call.pid)
    for call in calls:
        expect_finished_cleanly(call, SUM)
    _expect_right_total(run)
    if cover_problem(calls, run.stop):
        raise Mistake("parts_do_not_cover", stop=run.stop, last=run.stop - 1, parts=describe_parts(calls))
    pids = sorted({c.pid for c in calls})
    if len(pids) == 1:
        raise Mistake("one_process", count=len(calls), pid=pids[0], parts=describe_parts(calls))
    met = {c.pid for c in calls if c.met}
    if len(met) < 2:
        raise Mistake("one_after_another", count=len(pids), pids=", ".join(map(str, pids)),
                      patience=race.patience, times=describe_parts(calls, origin=run.called))
    # The process count: Manager server processes hold shared results, they compute nothing.
    computing = [e for e in run.started if not e.serves_a_manager]
    most = max_alive_at_once(computing, until=run.returned)
    if most > run.workers:
        raise Mistake("more_processes_than_workers", stop=run.stop, workers=run.workers, most=most)
    return run


@check("the parts run in separate processes at the same time", "各段在不同的进程中同时计算", points=3,
       timeout=RACE_LIMIT, blame=PARALLEL)
def test_parts_run_at_the_same_time(race: Race, feedback: Any) -> None:
    run = _expect_parts_at_once(race)
    feedback.timeline(timeline_bars(sorted(run.parts, key=lambda c: c.start)[:12], run.called))
    feedback.note("parts", count=len(run.calls), pids=", ".join(map(str, sorted({c.pid for c in run.calls}))),
                  caller=race.caller)


def _biggest_share(run: Parallel) -> tuple[int, float]:
    """The process that computed the most numbers, and its share of all of them."""
    numbers: dict[int, int] = {}
    for call in run.calls:
        start, stop = range_of(call) or (0, 0)
        numbers[call.pid] = numbers.get(call.pid, 0) + max(0, stop - start)
    pid = max(numbers, key=numbers.__getitem__)
    return pid, numbers[pid] / max(1, run.stop)


def _numbers(attempt: Attempt, race: Race) -> dict[str, Any]:
    """The values of a speed note or mistake: the best attempt's, and every attempt's for the record."""
    return {"stop": race.stop, "workers": race.workers, "one": attempt.one.seconds,
            "parallel": attempt.parallel.seconds, "ratio": attempt.ratio, "cores": attempt.cores,
            **attempt.breakdown(), "start_cost": attempt.one.start_cost,
            "attempts": [a.summary() for a in race.attempts]}


@check("faster than one process when two cores are free", "有两个空闲核心时比一个进程快", points=2,
       timeout=RACE_LIMIT, blame=PARALLEL)
def test_faster_than_one_process(race: Race, grading: Grading, feedback: Any) -> None:
    run = _expect_parts_at_once(race)
    if race.no_loop is not None:
        raise Mistake("no_loop", n=race.no_loop[0], took=race.no_loop[1])
    pid, share = _biggest_share(run)
    if share >= UNBALANCED:
        parts = describe_parts([c for c in run.calls if c.pid == pid])
        raise Mistake("unbalanced", pid=pid, share=share, parts=parts)
    cores = usable_cores()
    if cores < 2:
        feedback.note("one_core", cores=cores)
        return
    # Time it again while the numbers are unclear (twice at most on a busy machine); the order
    # alternates, so a change of load in the middle of an attempt cannot favour one side each time.
    while len(race.attempts) < TRIES and not race.attempts[-1].shown:
        if len(race.attempts) >= 2 and not any(a.free for a in race.attempts):
            break
        if not _valid(attempt(race), race):
            race.attempts.pop()  # the learner's code failed this time: judge the attempts that worked
            break
    best = max(race.attempts, key=lambda a: a.ratio)
    numbers = _numbers(best, race)
    if best.shown:
        feedback.note("speedup", **numbers)
        return
    # The calling process burning a core while it waits is the learner's doing, not the machine's.
    hogs = all(a.parallel.parent_cpu >= HOG * a.parallel.seconds for a in race.attempts)
    if not hogs:
        busy = [a for a in race.attempts if not a.free]
        if busy:
            worst = min(busy, key=lambda a: min(a.part_share, a.one_share))
            slower = max(0.0, worst.slowdown - 1)
            feedback.note("machine_busy", tries=len(race.attempts), part_share=worst.part_share,
                          one_share=worst.one_share, **numbers,
                          slower=Text(f", and computed {slower:.0%} slower per number", f"，每个数的计算也慢了 {slower:.0%}")
                          if slower > 0.1 else NO_TEXT)
            return
        # Work capped by MAX_STOP on a fast machine can be too little to outweigh starting processes.
        enough_work = race.work >= max(0.1, 4 * min(a.one.start_cost for a in race.attempts))
        if not all(a.clearly_slow(enough_work) for a in race.attempts):
            feedback.note("speedup_unclear", tries=len(race.attempts), method=grading.start_method, **numbers)
            return
    raise Mistake("not_faster", tries=len(race.attempts), parent_cpu=best.parallel.parent_cpu, **numbers)


def _valid(attempt: Attempt, race: Race) -> bool:
    """Whether the parallel call of ``attempt`` computed the right total (so its times mean something)."""
    run = attempt.parallel
    expected = squares_between(0, race.stop)
    return run.failure is None and bool(run.parts) and run.result == expected
