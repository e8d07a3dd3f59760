"""The verdicts on the mutants that survive ``python -m grader.dev mutate``, keyed by exercise and
by the mutant's change (``old lines => new lines``, as ``grader.dev.mutate`` prints it).

``equivalent``: the mutant is a correct program (each has a correct variant in tests/correct/ that
the suite grades under every start method). ``gap``: the grader lets a wrong program through; the
note says what would catch it. A survivor with no verdict makes the run exit 1.
"""

from __future__ import annotations

VERDICTS: dict[str, dict[str, str]] = {
    'ex03_multitasking': {
        'print("唱歌。。。", flush=True) => print("唱歌。。。", flush=False)':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex03_multitasking/prints_without_flush)',
        'print("唱歌。。。", flush=True) => print("唱歌。。。")':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex03_multitasking/prints_without_flush)',
        'print("唱歌。。。", flush=True) => print("唱歌。。。", True)':
            "gap: each line reads '唱歌。。。 True'; printing.py counts the word in the output and never looks at the rest of the line. Killed by: every line printed must be the word alone (strip() == word). Owner: gate35 (printing.py: prog67)",
        'print("跳舞。。。", flush=True) => print("跳舞。。。", flush=False)':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex03_multitasking/prints_without_flush)',
        'print("跳舞。。。", flush=True) => print("跳舞。。。")':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex03_multitasking/prints_without_flush)',
        'print("跳舞。。。", flush=True) => print("跳舞。。。", True)':
            "gap: each line reads '跳舞。。。 True'; printing.py counts the word in the output and never looks at the rest of the line. Killed by: every line printed must be the word alone (strip() == word). Owner: gate35 (printing.py: prog67)",
        '# flush=True：输出经过管道时也立刻出现 / shows at once, even through a pipe | print("唱歌。。。", flush=True) | time.sleep(delay) => time.sleep(delay) | # flush=True：输出经过管道时也立刻出现 / shows at once, even through a pipe | print("唱歌。。。", flush=True)':
            'equivalent: the pause before each line, still delay apart (variant ex03_multitasking/sleeps_before_printing)',
        'print("跳舞。。。", flush=True) | time.sleep(delay) => time.sleep(delay) | print("跳舞。。。", flush=True)':
            'equivalent: the pause before each line, still delay apart (variant ex03_multitasking/sleeps_before_printing)',
        'sing_process = multiprocessing.Process(target=sing, args=(num, delay)) | dance_process = multiprocessing.Process(target=dance, args=(num, delay)) => dance_process = multiprocessing.Process(target=dance, args=(num, delay)) | sing_process = multiprocessing.Process(target=sing, args=(num, delay))':
            'equivalent: the two processes made, started or joined in the other order (variant ex03_multitasking/dance_first)',
        'dance_process = multiprocessing.Process(target=dance, args=(num, delay)) | sing_process.start() => sing_process.start() | dance_process = multiprocessing.Process(target=dance, args=(num, delay))':
            'equivalent: the two processes made, started or joined in the other order (variant ex03_multitasking/dance_first)',
        'sing_process.start() | dance_process.start() => dance_process.start() | sing_process.start()':
            'equivalent: the two processes made, started or joined in the other order (variant ex03_multitasking/dance_first)',
        'sing_process.join() | dance_process.join() => dance_process.join() | sing_process.join()':
            'equivalent: the two processes made, started or joined in the other order (variant ex03_multitasking/dance_first)',
    },
    'ex05_process_ids': {
        'print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True) => print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=False)':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex05_process_ids/print_not_flushed)',
        'print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True) => print(f"{label} pid={os.getpid()} ppid={os.getppid()}")':
            'equivalent: print without flush=True still writes each line as it is printed (variant ex05_process_ids/print_not_flushed)',
        'process.start() | processes.append(process) => processes.append(process) | process.start()':
            'equivalent: the process goes into the list before it is started (variant ex05_process_ids/appends_before_starting)',
    },
    'ex06_main_waits': {
        'print("工作中。。。。", flush=True) => print("工作中。。。。", flush=False)':
            "equivalent: print without flush=True: the probe sees each write, and the kit's variants already print unflushed (variant ex06_main_waits/sleeps_before_printing)",
        'print("工作中。。。。", flush=True) => print("工作中。。。。")':
            "equivalent: print without flush=True: the probe sees each write, and the kit's variants already print unflushed (variant ex06_main_waits/sleeps_before_printing)",
        'print("工作中。。。。", flush=True) => print("工作中。。。。", True)':
            "gap: each line reads '工作中。。。。 True'; printing.py counts the word and never looks at the rest of the line. Killed by: every line printed must be the word alone. Owner: prog67",
        '# flush=True：输出经过管道时也立刻出现 / shows at once, even through a pipe | print("工作中。。。。", flush=True) | time.sleep(delay) => time.sleep(delay) | # flush=True：输出经过管道时也立刻出现 / shows at once, even through a pipe | print("工作中。。。。", flush=True)':
            'equivalent: the pause before each line, still delay apart (variant ex06_main_waits/sleeps_before_printing)',
    },
    'ex07_daemon': {
        'print("工作中。。。。", flush=True) => print("工作中。。。。", flush=False)':
            "equivalent: print without flush=True: the probe sees each write, and the kit's variants already print unflushed (variant ex07_daemon/sleeps_before_printing)",
        'print("工作中。。。。", flush=True) => print("工作中。。。。")':
            "equivalent: print without flush=True: the probe sees each write, and the kit's variants already print unflushed (variant ex07_daemon/sleeps_before_printing)",
        'print("工作中。。。。", flush=True) => print("工作中。。。。", True)':
            "gap: each line reads '工作中。。。。 True'; printing.py counts the word and never looks at the rest of the line. Killed by: every line printed must be the word alone. Owner: prog67",
        '# flush=True：守护进程被停止时，已经打印的行不会丢在缓冲区里 | # flush=True: printed lines are not lost in a buffer when the daemon is stopped | print("工作中。。。。", flush=True) | time.sleep(delay) => time.sleep(delay) | # flush=True：守护进程被停止时，已经打印的行不会丢在缓冲区里 | # flush=True: printed lines are not lost in a buffer when the daemon is stopped | print("工作中。。。。", flush=True)':
            'equivalent: the pause before each line, still delay apart (variant ex07_daemon/sleeps_before_printing)',
    },
    'ex08_copy_file': {
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 + 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 - 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 // 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 | 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 ^ 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1025 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1023 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 65':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 63':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'source_path = os.path.join(source_dir, file_name) | dest_path = os.path.join(dest_dir, file_name) => dest_path = os.path.join(dest_dir, file_name) | source_path = os.path.join(source_dir, file_name)':
            'equivalent: two paths built in the other order (variant ex08_copy_file/writes_before_checking)',
        'if not data: |     break | dest_file.write(data) => dest_file.write(data) | if not data: |     break':
            'equivalent: writing b"" writes nothing (variant ex08_copy_file/writes_before_checking)',
    },
    'ex09_copy_folder': {
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 + 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 - 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 // 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 | 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 ^ 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1025 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1023 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 65':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 63':
            'equivalent: any positive chunk size copies the same bytes (variant ex09_copy_folder/reordered_solution)',
        'source_path = os.path.join(source_dir, file_name) | dest_path = os.path.join(dest_dir, file_name) => dest_path = os.path.join(dest_dir, file_name) | source_path = os.path.join(source_dir, file_name)':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
        'if not data: |     break | dest_file.write(data) => dest_file.write(data) | if not data: |     break':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
        'names = sorted(os.listdir(source_dir)) | os.makedirs(dest_dir, exist_ok=True) => os.makedirs(dest_dir, exist_ok=True) | names = sorted(os.listdir(source_dir))':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
        'os.makedirs(dest_dir, exist_ok=True) |  | processes = [] =>  | processes = [] | os.makedirs(dest_dir, exist_ok=True)':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
        'if not os.path.isfile(os.path.join(source_dir, name)): |     continue | process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir)) => process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir)) | if not os.path.isfile(os.path.join(source_dir, name)): |     continue':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
        'process.start() | processes.append((name, process)) => processes.append((name, process)) | process.start()':
            'equivalent: the same copies, steps in another order (variant ex09_copy_folder/reordered_solution)',
    },
    'ex10_copy_folder_pool': {
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 + 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 - 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 // 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 | 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 ^ 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1025 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1023 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 65':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 63':
            'equivalent: any positive chunk size copies the same bytes (variant ex10_copy_folder_pool/reordered_solution)',
        'pool.join() => pass':
            'equivalent: every result was read, so leaving the with block (terminate) loses nothing (variant ex10_copy_folder_pool/reordered_solution)',
        'data = source_file.read(CHUNK_SIZE) => data = source_file.read()':
            "gap: each file read whole; ex10's files are at most a few KiB (140 KB for one) and nothing measures the workers' memory, though the exercise copies in chunks. Killed by: one file of 16-17 MiB in the tree and the resident peak of the worker that copies it (VmHWM read in the worker after clear_refs). Owner: gate910",
        'raise FileNotFoundError(f"source folder not found: {source_dir}") => raise FileNotFoundError()':
            'equivalent: the contract asks for a FileNotFoundError, not its text (variant ex10_copy_folder_pool/reordered_solution)',
        'if not data: |     break | dest_file.write(data) => dest_file.write(data) | if not data: |     break':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'if not os.path.isdir(source_dir): |     raise FileNotFoundError(f"source folder not found: {source_dir}") |  | # 先列出所有要做的事，再动手：目标文件夹在源文件夹里面时也不会越拷越多 | # plan first, then copy: a dest_dir inside source_dir cannot then grow while we walk | folders = [] =>  | # 先列出所有要做的事，再动手：目标文件夹在源文件夹里面时也不会越拷越多 | # plan first, then copy: a dest_dir inside source_dir cannot then grow while we walk | folders = [] | if not os.path.isdir(source_dir): |     raise FileNotFoundError(f"source folder not found: {source_dir}")':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        ' | # 先列出所有要做的事，再动手：目标文件夹在源文件夹里面时也不会越拷越多 | # plan first, then copy: a dest_dir inside source_dir cannot then grow while we walk | folders = [] | tasks = [] => tasks = [] |  | # 先列出所有要做的事，再动手：目标文件夹在源文件夹里面时也不会越拷越多 | # plan first, then copy: a dest_dir inside source_dir cannot then grow while we walk | folders = []':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'for folder in folders: |     os.makedirs(folder, exist_ok=True) |  | failed = [] => failed = [] |  | for folder in folders: |     os.makedirs(folder, exist_ok=True)':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'folders.append(os.path.normpath(os.path.join(dest_dir, rel_folder))) | for name in sorted(files): |     src = os.path.join(folder, name) |     if os.path.isfile(src): |         rel = os.path.normpath(os.path.join(rel_folder, name)) |         tasks.append((rel, src, os.path.join(dest_dir, rel))) => for name in sorted(files): |     src = os.path.join(folder, name) |     if os.path.isfile(src): |         rel = os.path.normpath(os.path.join(rel_folder, name)) |         tasks.append((rel, src, os.path.join(dest_dir, rel))) | folders.append(os.path.normpath(os.path.join(dest_dir, rel_folder)))':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'for rel, result in pending: |     try: |         # .get() 把任务里的异常在这里重新抛出 |         # .get() raises here the exception the task raised |         result.get() |     except Exception as error: |         failed.append(f"{rel} ({type(error).__name__}: {error})") | # close + join：让子进程正常退出，而不是在 with 结束时被 terminate | # close + join: the workers exit normally instead of being terminated by with | pool.close() => # close + join：让子进程正常退出，而不是在 with 结束时被 terminate | # close + join: the workers exit normally instead of being terminated by with | pool.close() | for rel, result in pending: |     try: |         # .get() 把任务里的异常在这里重新抛出 |         # .get() raises here the exception the task raised |         result.get() |     except Exception as error: |         failed.append(f"{rel} ({type(error).__name__}: {error})")':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'for folder in folders: |     os.makedirs(folder, exist_ok=True) =>     for folder in folders: |         os.makedirs(folder, exist_ok=True)':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'failed = [] =>     failed = []':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        'if failed: |     raise RuntimeError(f"copy failed for: {\', \'.join(failed)}") =>     if failed: |         raise RuntimeError(f"copy failed for: {\', \'.join(failed)}")':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        '# close + join：让子进程正常退出，而不是在 with 结束时被 terminate | # close + join: the workers exit normally instead of being terminated by with | pool.close() =>     # close + join：让子进程正常退出，而不是在 with 结束时被 terminate |     # close + join: the workers exit normally instead of being terminated by with |     pool.close()':
            'equivalent: the same copies, steps in another order or block (variant ex10_copy_folder_pool/reordered_solution; folders made while walking differ only for a dest_dir inside source_dir, which the contract does not name)',
        '    pool.join() => pool.join()':
            'equivalent: every result was read, so leaving the with block (terminate) loses nothing (variant ex10_copy_folder_pool/reordered_solution)',
    },
    'ex11_cpu_speedup': {
        'pool.join() => pass':
            'equivalent: leaving the with block terminates the pool after starmap has every part (variant ex11_cpu_speedup/returns_inside_with)',
        'return total =>     return total':
            'equivalent: the total returned from inside the with block (variant ex11_cpu_speedup/returns_inside_with)',
        '    pool.join() => pool.join()':
            'equivalent: join() after the with block (variant ex11_cpu_speedup/joins_after_with)',
    },
}


def verdict_of(module: str, change: str) -> str:
    """The recorded verdict on this mutant ("equivalent: ..." or "gap: ..."), or "" when there is none."""
    return VERDICTS.get(module, {}).get(change, "")
