"""The messages of ex09_copy_folder's checks (grader/checks/ex09_copy_folder.py), in both languages."""

from __future__ import annotations

from .. import messages

MESSAGES = messages.define(__name__, {
    "no_copy_file": {
        "en": "There is no function copy_file in your module. copy_folder must copy each file by calling copy_file(file_name, source_dir, dest_dir) in a process of its own: keep copy_file (as in exercise 08) at the top level of the module.",
        "zh": "你的模块里没有 copy_file 函数。copy_folder 要在每个文件各自的进程里调用 copy_file(file_name, source_dir, dest_dir) 来拷贝：请保留 copy_file（和练习 08 一样），写在模块的最外层。",
    },
    "dest_not_created": {
        "en": "After copy_folder, dest_dir ({dest}) does not exist{raised}. It was missing together with its parent folder: os.mkdir cannot create that, and a try/except around os.mkdir that catches every error hides why. Use os.makedirs(dest_dir, exist_ok=True): it creates every missing folder and accepts one that exists.",
        "zh": "copy_folder 执行后，dest_dir（{dest}）不存在{raised}。它和它的上一级文件夹都不存在：os.mkdir 创建不了，而用 try/except 包住 os.mkdir、捕获所有错误，会把原因藏起来。请使用 os.makedirs(dest_dir, exist_ok=True)：它会创建所有缺少的文件夹，文件夹已存在也不报错。",
    },
    "dest_exists_error": {
        "en": "copy_folder raised {error} because dest_dir already existed. An existing destination folder is fine: os.makedirs(dest_dir, exist_ok=True) creates it only when it is missing.",
        "zh": "因为 dest_dir 已经存在，copy_folder 抛出了 {error}。目标文件夹已存在是正常的：os.makedirs(dest_dir, exist_ok=True) 只在它不存在时才创建。",
    },
    "files_missing": {
        "en": "After copy_folder returned, {count} of the {total} files of source_dir are missing from dest_dir: {names}. Every regular file at the top level of source_dir must be copied, those whose names start with a dot too (os.listdir lists them all).",
        "zh": "copy_folder 返回后，source_dir 的 {total} 个文件中有 {count} 个没有出现在 dest_dir 里：{names}。source_dir 顶层的每个普通文件都要拷贝，名字以点开头的文件也一样（os.listdir 会列出全部文件）。",
    },
    "extra_files": {
        "en": "After copy_folder, dest_dir holds {names}, which source_dir's top level does not have. Copy exactly the regular files of source_dir, nothing else.",
        "zh": "copy_folder 执行后，dest_dir 里有 {names}，而 source_dir 的顶层并没有这些。只拷贝 source_dir 里的普通文件，别的都不要。",
    },
    "wrong_file_count": {
        "en": "copy_folder returned {got}; expected {expected}, the number of files it copied.",
        "zh": "copy_folder 返回了 {got}；预期返回拷贝的文件个数 {expected}。",
    },
    "copy_held_whole_file": {
        "en": "Copying {name!r}, a file of {size_mib:.1f} MiB, the process that ran copy_file (pid {pid}) grew by {peak_mib:.1f} MiB of memory, as the operating system counts it: the whole file was read in one go (read() with no size, readlines(), Path.read_bytes()...). A folder of pictures or videos can hold files larger than the memory you have, and every process copying one at the same time holds its own. Read and write one chunk at a time: data = source_file.read(CHUNK_SIZE), in a loop until it returns b''.",
        "zh": "拷贝 {name!r}（一个 {size_mib:.1f} MiB 的文件）时，运行 copy_file 的进程（进程编号 {pid}）的内存按操作系统的统计增长了 {peak_mib:.1f} MiB：整个文件被一次读了进来（不带大小的 read()、readlines()、Path.read_bytes() 等）。图片或视频文件夹里的文件可能比你的内存还大，而且同时拷贝的每个进程都各占一份。请一次读写一块：data = source_file.read(CHUNK_SIZE)，循环直到它返回 b''。",
    },
    "copy_file_not_called_for": {
        "en": "copy_file was never called for {name!r}, though that file is in source_dir. Start one process with target=copy_file and args=(file_name, source_dir, dest_dir) for every file.",
        "zh": "source_dir 里有文件 {name!r}，但从未对它调用 copy_file。请为每个文件启动一个 target=copy_file、args=(file_name, source_dir, dest_dir) 的进程。",
    },
    "file_name_is_a_path": {
        "en": "copy_file was called with file_name={got!r}, a path, where the name of a file in source_dir ({name!r}) is expected. Pass the name alone, as os.listdir gives it: copy_file joins it to source_dir and to dest_dir itself.",
        "zh": "调用 copy_file 时 file_name={got!r}，这是一个路径，而预期的是 source_dir 里的文件名（{name!r}）。请只传文件名，就是 os.listdir 给出的那样：copy_file 自己会把它和 source_dir、dest_dir 拼起来。",
    },
    "copied_twice": {
        "en": "copy_file ran {count} times for {name!r}; expected once per file. Is a process started twice, or is copy_file also called directly?",
        "zh": "copy_file 对 {name!r} 运行了 {count} 次；预期每个文件一次。是不是同一个进程启动了两次，或者除了在进程里之外还直接调用了 copy_file？",
    },
    "shared_process": {
        "en": "copy_file copied {names} all in the same process (pid {pid}). Each file must be copied in a process of its own: one multiprocessing.Process(target=copy_file, ...) per file (a Pool hands several files to one worker).",
        "zh": "copy_file 在同一个进程（进程编号 {pid}）里拷贝了 {names}。每个文件都要在自己的进程里拷贝：每个文件一个 multiprocessing.Process(target=copy_file, ...)（进程池会把多个文件交给同一个工作进程）。",
    },
    "copy_join_gave_up": {
        "en": "copy_folder waited for the copy of {name} (pid {pid}) with {how} and stopped waiting when the timeout ran out, while that copy was still running: the grader held it for longer than the timeout, as a big file on a slow disk would take. Its exitcode was then still None, so the copy looked failed (or was never waited for at all). Call join() without a timeout: it waits until the process has ended, however long the copy takes.",
        "zh": "copy_folder 用 {how} 等待 {name} 的拷贝（进程编号 {pid}），超时一到就不再等了，而那个拷贝还在进行：评分程序让它等待的时间比这个超时更长，就像慢速磁盘上的大文件那样。这时它的 exitcode 还是 None，于是这个拷贝看起来像是失败了（或者根本没有被等到）。请调用不带超时的 join()：不管拷贝要多久，它都会一直等到进程结束。",
    },
    "exit_codes_read_early": {
        "en": "copy_folder raised {error}, which names {named} of its {total} copies as failed; yet each copy finished without an error and its process ended with exit code 0. A process's exitcode is None until the process has ended: read before join() (or with no join at all), a copy still running looks failed. Call join() on every process (with no timeout) first, then read the exit codes.",
        "zh": "copy_folder 抛出了 {error}，把它的 {total} 个拷贝中的 {named} 个说成了失败；可是每个拷贝都顺利完成，没有出错，进程的退出码都是 0。进程结束之前，它的 exitcode 一直是 None：在 join() 之前读（或者根本没有 join），还在运行的拷贝看起来就像失败了。请先对每个进程调用 join()（不带超时），再读取退出码。",
    },
    "returned_too_early": {
        "en": "copy_folder returned while {running} of the {total} copies were still running (the last one ended {late_ms} ms later): it said it was done before the files were copied, like the tutorial's code, which prints \"拷贝完毕\" too early. Start every process first, then join() every one of them, and only then return.",
        "zh": "copy_folder 返回时，{total} 个拷贝中还有 {running} 个在进行（最后一个在 {late_ms} 毫秒之后才结束）：文件还没拷完它就说完成了，就像教程的代码过早打印“拷贝完毕”一样。请先启动所有进程，再对每个进程 join()，然后才返回。",
    },
    "copies_one_at_a_time": {
        "en": "copy_folder waited for the copy of {waited} before it had started the copies of the other {others} file(s): it copied one file at a time, so the processes never ran at the same time (the tutorial's copier exists to copy at the same time). Start every process first, in one loop; then join() them all, in a second loop.",
        "zh": "copy_folder 在启动其余 {others} 个文件的拷贝之前，就先等待了 {waited} 的拷贝：它一次只拷贝一个文件，这些进程从来没有同时运行（教程的拷贝器就是为了同时拷贝）。请先在一个循环里启动所有进程，再在第二个循环里对它们逐个 join()。",
    },
    "subfolder_not_skipped": {
        "en": "copy_folder treated the subfolder {name!r} of source_dir like a file{how}. Skip subfolders: copy only the names for which os.path.isfile(os.path.join(source_dir, name)) is true.",
        "zh": "copy_folder 把 source_dir 里的子文件夹 {name!r} 当成了文件{how}。请跳过子文件夹：只拷贝 os.path.isfile(os.path.join(source_dir, name)) 为真的那些名字。",
    },
    "failure_not_reported": {
        "en": "The copy of {name!r} failed in its child process (the grader made it fail), yet copy_folder returned {result} as if all went well. An exception in a child never reaches the main process: after join(), check each process's exitcode and raise an exception naming the files whose exitcode is not 0.",
        "zh": "{name!r} 的拷贝在它的子进程里失败了（是评分程序故意让它失败的），但 copy_folder 却像一切正常一样返回了 {result}。子进程里的异常不会传到主进程：join() 之后要检查每个进程的 exitcode，对 exitcode 不为 0 的文件抛出异常，并写出它们的文件名。",
    },
    "killed_copy_not_reported": {
        "en": "The copy of {name!r} died in its child process, killed by a signal (as the system kills a process that runs out of memory), and copy_folder did not name it: it raised {error}, which names only {other!r}. A process killed by a signal has a negative exitcode (-9 for SIGKILL), and a child that dies cannot report anything itself: after join(), treat every exitcode that is not 0 as a failed copy (exitcode != 0, not exitcode > 0 or == 1).",
        "zh": "{name!r} 的拷贝在子进程里被信号杀死了（就像内存不足时系统杀掉进程那样），copy_folder 却没有写出它：它抛出了 {error}，里面只写了 {other!r}。被信号杀死的进程的 exitcode 是负数（SIGKILL 是 -9），而死掉的子进程自己什么也报告不了：join() 之后，凡是 exitcode 不为 0 的都算拷贝失败（用 exitcode != 0，而不是 exitcode > 0 或 == 1）。",
    },
    "killed_copy_hangs": {
        "en": "The copy of {name!r} died in its child process, killed by a signal, and copy_folder never returned: it was still waiting for that copy's result. A Pool loses the task of a worker that dies and waits for it for ever. Start one multiprocessing.Process per file, join() them all, and read each exitcode: a killed process has a negative one.",
        "zh": "{name!r} 的拷贝在子进程里被信号杀死了，copy_folder 一直没有返回：它还在等这个拷贝的结果。进程池（Pool）的工作进程死掉时，它的任务就丢了，Pool 会永远等下去。请每个文件启动一个 multiprocessing.Process，对它们全部 join()，再读每个进程的 exitcode：被杀死的进程的 exitcode 是负数。",
    },
    "failure_not_named": {
        "en": "The copy of {name!r} failed in its child process and copy_folder raised {error}, but its message does not name the file. Say which file(s) failed, e.g. raise RuntimeError(f\"copy failed for: {{failed}}\").",
        "zh": "{name!r} 的拷贝在子进程里失败了，copy_folder 抛出了 {error}，但异常信息里没有写出文件名。请写明是哪个（些）文件失败了，例如 raise RuntimeError(f\"copy failed for: {{failed}}\")。",
    },
    "missing_source_not_reported": {
        "en": "copy_folder was given a source_dir that does not exist and returned {result}. It must raise FileNotFoundError: os.listdir(source_dir) raises it by itself, so do not catch it.",
        "zh": "copy_folder 收到一个不存在的 source_dir，却返回了 {result}。它应当抛出 FileNotFoundError：os.listdir(source_dir) 自己就会抛出，不要把它捕获掉。",
    },
    "empty_folder_raised": {
        "en": "copy_folder was given an empty source_dir (no file to copy) and raised {error}. An empty folder is a folder like any other: nothing to start, nothing to join, nothing failed; return 0. Does a variable get its first value only inside a loop that an empty folder never enters?",
        "zh": "copy_folder 收到一个空的 source_dir（没有要拷贝的文件），却抛出了 {error}。空文件夹也是文件夹：没有进程要启动、要 join，也没有失败的拷贝；应当返回 0。是不是有个变量只在循环里才第一次赋值，而空文件夹根本不会进入这个循环？",
    },
    "empty_folder_count": {
        "en": "copy_folder was given an empty source_dir and returned {got}; expected 0, the number of files it copied (none).",
        "zh": "copy_folder 收到一个空的 source_dir，返回了 {got}；预期返回拷贝的文件个数 0（一个也没有）。",
    },
    "wrong_exception": {
        "en": "copy_folder was given a source_dir that does not exist and raised {error}; expected FileNotFoundError (os.listdir(source_dir) raises it: let it through).",
        "zh": "copy_folder 收到一个不存在的 source_dir，抛出的是 {error}；预期是 FileNotFoundError（os.listdir(source_dir) 会抛出它：让它抛出去即可）。",
    },
})
