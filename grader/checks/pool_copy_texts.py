"""The messages of ex10_copy_folder_pool's checks (grader/checks/ex10_copy_folder_pool.py), in both languages."""

from __future__ import annotations

from .. import messages

MESSAGES = messages.define(__name__, {
    "wrong_default_workers": {
        "en": "copy_folder_pool's workers parameter defaults to {got!r}; the exercise fixes it: copy_folder_pool(source_dir, dest_dir, workers=4), so that a caller who gives no workers gets a pool of 4.",
        "zh": "copy_folder_pool 的参数 workers 默认值是 {got!r}；练习规定的是 copy_folder_pool(source_dir, dest_dir, workers=4)，这样调用者不传 workers 时得到 4 个进程的进程池。",
    },
    "tree_files_missing": {
        "en": "When copy_folder_pool returned, {count} of the {total} files were missing from dest_dir: {names}. Did it wait for every task? Read every result (.get()), or close() and join() the pool, before the end of `with Pool(...)`: leaving that block terminates the workers, finished or not.",
        "zh": "copy_folder_pool 返回时，{total} 个文件中有 {count} 个不在 dest_dir 里：{names}。它等每个任务完成了吗？请在 `with Pool(...)` 块结束之前读取每个结果（.get()），或者 close() 再 join() 进程池：离开这个块会终止工作进程，不管任务有没有做完。",
    },
    "subfolders_skipped": {
        "en": "copy_folder_pool copied the files at the top of source_dir but none of the {count} files in its subfolders (such as {example!r}). This exercise copies the whole tree: os.walk(source_dir) visits every subfolder; create each destination folder with os.makedirs(..., exist_ok=True).",
        "zh": "copy_folder_pool 拷贝了 source_dir 顶层的文件，但子文件夹里的 {count} 个文件一个也没拷（例如 {example!r}）。本练习要拷贝整个文件夹树：os.walk(source_dir) 会遍历每个子文件夹；每个目标文件夹用 os.makedirs(..., exist_ok=True) 创建。",
    },
    "empty_subfolder_not_copied": {
        "en": "After copy_folder_pool, the empty subfolder {name!r} of source_dir is missing from dest_dir. The whole tree is copied, its empty folders too: create every destination folder os.walk visits (os.makedirs(..., exist_ok=True) for each folder), not only the folders of the files you copy.",
        "zh": "copy_folder_pool 执行后，source_dir 里的空子文件夹 {name!r} 没有出现在 dest_dir 里。整个文件夹树都要拷贝，空文件夹也不例外：为 os.walk 遍历到的每个文件夹创建目标文件夹（对每个文件夹调用 os.makedirs(..., exist_ok=True)），而不只是为拷贝的文件所在的文件夹创建。",
    },
    "pool_copy_held_whole_file": {
        "en": "Copying {name!r}, a file of {size_mib:.1f} MiB, the pool's process that copied it (pid {pid}) grew by {peak_mib:.1f} MiB of memory, as the operating system counts it: the whole file was read in one go (read() with no size, readlines(), Path.read_bytes()...). Every worker of the pool copying a large file at the same time holds one whole. Read and write one chunk at a time: data = source_file.read(CHUNK_SIZE), in a loop until it returns b'' (or hand the copy to shutil.copyfile).",
        "zh": "拷贝 {name!r}（一个 {size_mib:.1f} MiB 的文件）时，进程池里拷贝它的进程（进程编号 {pid}）的内存按操作系统的统计增长了 {peak_mib:.1f} MiB：整个文件被一次读了进来（不带大小的 read()、readlines()、Path.read_bytes() 等）。进程池的每个工作进程同时拷贝大文件时，都会各占一整份。请一次读写一块：data = source_file.read(CHUNK_SIZE)，循环直到它返回 b''（或者交给 shutil.copyfile 去拷贝）。",
    },
    "waits_after_every_copy_ended": {
        "en": "Every copy had ended (the other files were all copied, and the failure of {name!r} had reached your pool's result as an exception), yet copy_folder_pool was still waiting {seconds:.1f} s later, for something that will never come: a failed task calls no callback (only error_callback), and a count of finished copies that leaves the failures out never reaches the total. Read every result with .get() (it raises the task's exception), note the failures, and go on.",
        "zh": "所有拷贝都已结束（其他文件都拷完了，{name!r} 的失败也已经作为异常送到了进程池的结果里），copy_folder_pool 在 {seconds:.1f} 秒之后却还在等待，等的东西永远不会来：失败的任务不会调用 callback（只会调用 error_callback），只数成功拷贝的计数永远到不了总数。请对每个结果调用 .get()（它会抛出任务里的异常），记下失败的文件，然后继续。",
    },
    "tree_extra_files": {
        "en": "After copy_folder_pool, dest_dir holds {names}, which the source tree does not have. Copy exactly the tree of source_dir, nothing else.",
        "zh": "copy_folder_pool 执行后，dest_dir 里有 {names}，而源文件夹树里并没有这些。只拷贝 source_dir 的文件夹树，别的都不要。",
    },
    "tree_wrong_file_count": {
        "en": "copy_folder_pool returned {got}; expected {expected}, the number of files it copied (in every subfolder).",
        "zh": "copy_folder_pool 返回了 {got}；预期返回拷贝的文件个数 {expected}（包括所有子文件夹里的）。",
    },
    "too_many_alive": {
        "en": "At one moment {most} of your processes were alive at once, but workers was {workers} ({started} processes started in all). A bounded pool keeps at most workers processes: multiprocessing.Pool(workers) or ProcessPoolExecutor(max_workers=workers), not a process per file.",
        "zh": "有一个时刻你的进程同时存活了 {most} 个，而 workers 是 {workers}（一共启动了 {started} 个进程）。有上限的进程池最多只保持 workers 个进程：用 multiprocessing.Pool(workers) 或 ProcessPoolExecutor(max_workers=workers)，而不是每个文件一个进程。",
    },
    "pool_of_one": {
        "en": "All the copying was done by one process (pid {pid}), though workers was {workers}. More than one process must copy: make the pool with Pool(workers), and hand it one task per file (not the whole list as one task).",
        "zh": "所有拷贝都由同一个进程（进程编号 {pid}）完成，而 workers 是 {workers}。拷贝要由不止一个进程来做：用 Pool(workers) 创建进程池，并且每个文件交给它一个任务（不要把整个列表当成一个任务）。",
    },
    "one_at_a_time": {
        "en": "The copies ran in {count} processes, but never two at the same time: each waited for the one before, with workers={workers}. pool.apply() waits for its result before the next task is handed out; use apply_async (then .get() every result), map, imap_unordered or an executor's submit.",
        "zh": "拷贝在 {count} 个进程里运行，但从来没有两个同时进行：每个都在等前一个结束（workers={workers}）。pool.apply() 会等到结果出来才交出下一个任务；请用 apply_async（之后对每个结果 .get()）、map、imap_unordered，或执行器的 submit。",
    },
    "no_processes": {
        "en": "copy_folder_pool started no process at all (workers was {workers}): the copies ran inside the calling process. A ThreadPool or ThreadPoolExecutor runs threads, not processes; use multiprocessing.Pool(workers) or concurrent.futures.ProcessPoolExecutor.",
        "zh": "copy_folder_pool 一个进程也没有启动（workers 是 {workers}）：拷贝都在调用者的进程里完成。ThreadPool 或 ThreadPoolExecutor 运行的是线程而不是进程；请使用 multiprocessing.Pool(workers) 或 concurrent.futures.ProcessPoolExecutor。",
    },
    "failure_swallowed": {
        "en": "The copy of {name!r} failed (the grader put a folder where that copy had to go), yet copy_folder_pool returned {result} as if all went well. An exception in a pool task is raised only where its result is read: call .get() on every AsyncResult (or .result() on every future), note the failures, and raise an exception naming them.",
        "zh": "{name!r} 的拷贝失败了（评分程序在目标位置放了一个文件夹），copy_folder_pool 却像一切正常一样返回了 {result}。进程池任务里的异常只有在读取它的结果时才会抛出：对每个 AsyncResult 调用 .get()（或对每个 future 调用 .result()），记下失败的文件，再抛出写着这些文件名的异常。",
    },
    "tree_failure_not_named": {
        "en": "The copy of {name!r} failed and copy_folder_pool raised {error}, but its message does not name the file. Say which file(s) failed, e.g. raise RuntimeError(f\"copy failed for: {{failed}}\").",
        "zh": "{name!r} 的拷贝失败了，copy_folder_pool 抛出了 {error}，但异常信息里没有写出文件名。请写明是哪个（些）文件失败了，例如 raise RuntimeError(f\"copy failed for: {{failed}}\")。",
    },
    "copied_in_the_caller": {
        "en": "The copy of {name!r} failed in the calling process (pid {pid}), not in one of the pool's workers: {function} ran there and raised {error}. The copying itself must be the pool's task: hand the function that copies a file to the pool (pool.apply_async({function}, ...), pool.map, ...) rather than calling it yourself.",
        "zh": "{name!r} 的拷贝是在调用者进程（进程编号 {pid}）里失败的，而不是在进程池的工作进程里：{function} 在那里运行并抛出了 {error}。拷贝本身必须是进程池的任务：把拷贝一个文件的函数交给进程池（pool.apply_async({function}, ...)、pool.map 等），而不是自己调用它。",
    },
    "tree_second_failure_not_named": {
        "en": "Two copies failed, of {first!r} and of {name!r}, and copy_folder_pool raised {error}, which names {first!r} only: {name!r} is left out. Note every failed file while reading the results, and name them all in the one exception raised at the end, e.g. raise RuntimeError(f\"copy failed for: {{', '.join(failed)}}\").",
        "zh": "有两个拷贝失败了：{first!r} 和 {name!r}，copy_folder_pool 抛出了 {error}，但只写出了 {first!r}，漏掉了 {name!r}。读取结果时要记下每个失败的文件，最后在抛出的那一个异常里写出全部文件名，例如 raise RuntimeError(f\"copy failed for: {{', '.join(failed)}}\")。",
    },
    "stopped_at_first_failure": {
        "en": "copy_folder_pool raised when the copy of {name!r} failed, while {count} of the {total} other files were not copied yet ({names}). One failed copy must not stop the others: read every result, noting the failures, and raise only once all the copies have finished (leaving `with Pool(...)` early terminates the copies still running).",
        "zh": "{name!r} 的拷贝失败时 copy_folder_pool 就抛出了异常，而其他 {total} 个文件中还有 {count} 个没有拷完（{names}）。一个拷贝失败不能让其他拷贝停下来：读取每个结果、记下失败的文件，等所有拷贝都结束后再抛出异常（提前离开 `with Pool(...)` 会终止还在进行的拷贝）。",
    },
    "tree_missing_source_not_reported": {
        "en": "copy_folder_pool was given a source_dir that does not exist and returned {result}. os.walk never complains about a missing folder: check os.path.isdir(source_dir) first and raise FileNotFoundError.",
        "zh": "copy_folder_pool 收到一个不存在的 source_dir，却返回了 {result}。os.walk 遇到不存在的文件夹不会报错：请先检查 os.path.isdir(source_dir)，不存在就抛出 FileNotFoundError。",
    },
    "tree_wrong_exception": {
        "en": "copy_folder_pool was given a source_dir that does not exist and raised {error}; expected FileNotFoundError.",
        "zh": "copy_folder_pool 收到一个不存在的 source_dir，抛出的是 {error}；预期是 FileNotFoundError。",
    },
})
