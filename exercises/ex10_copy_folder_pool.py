"""练习 10：用进程池拷贝整个文件夹树（对应教程 §9 的延伸 / Tutorial §9, going further）

练习 09 每个文件一个子进程：一千个文件就是一千个进程。进程池
multiprocessing.Pool(workers) 只创建 workers 个子进程，让它们轮流领取任务。

要写的：copy_folder_pool(source_dir, dest_dir, workers=4)，拷贝整个文件夹树（包括子文件夹）：
  1. source_dir 不存在时抛出 FileNotFoundError；
  2. 在主进程里用 os.walk 遍历，用 os.makedirs(..., exist_ok=True) 建好每个目标文件夹；
  3. 每个文件提交一个任务，例如 pool.apply_async(copy_one, (src, dst))；
     可以用 copy_one，也可以写你自己的函数（写在模块顶层）；
  4. 读取每一个任务的结果（.get()），出错的记下相对路径，继续读下一个；
  5. pool.close()、pool.join()；有失败就抛出 RuntimeError 写出失败的文件，否则返回文件个数。

评分程序会检查：整棵树一字节不差；同时存活的子进程不超过 workers 个，且不止一个
在拷贝；返回值；一个文件失败时其他文件照样拷完，然后抛出写着文件名的异常，不会卡住。

小心：进程池里任务抛出的异常不读结果就被悄悄吞掉了。不要在模块顶层创建进程池。

Exercise 10: copy a whole folder tree with a pool (Tutorial §9, going further)

Exercise 09 starts a process per file: a thousand files, a thousand processes.
multiprocessing.Pool(workers) starts only workers processes that take tasks in turn.

Write copy_folder_pool(source_dir, dest_dir, workers=4), copying the whole tree:
  1. a missing source_dir raises FileNotFoundError;
  2. walk with os.walk in the main process and create every destination folder;
  3. submit one task per file, e.g. pool.apply_async(copy_one, (src, dst)); you
     may use copy_one or write your own (at module level);
  4. read every result (.get()); note each failure's relative path, read on;
  5. pool.close(), pool.join(); raise RuntimeError naming the failed files, or
     return the number of files copied.

The grader checks: the tree byte for byte; at most workers processes alive at
once, more than one copying; the count; when one copy fails the others still
finish, then the exception names the file, and nothing hangs.

Trap: an error in a pool task is lost unless you read its result. Never create
the pool at module level: under spawn every child would create another.
"""

import multiprocessing
import os
import tempfile

# 每次读写的字节数 / how many bytes to read and write at a time
CHUNK_SIZE = 1024 * 64


def copy_one(src, dst):
    """把文件 src 按块、以二进制方式拷贝为文件 dst（替换已有文件）。

    Copy the file src to the file dst byte for byte, in chunks, replacing dst
    if it exists.
    """
    raise NotImplementedError


def copy_folder_pool(source_dir, dest_dir, workers=4) -> int:
    """用 workers 个进程的进程池拷贝整个文件夹树，返回拷贝的文件个数。

    Copy the whole tree source_dir into dest_dir, byte for byte, with a pool of
    workers processes; return the number of files copied. Raise
    FileNotFoundError when source_dir is missing, and RuntimeError naming the
    failed files, after all the other copies have finished.
    """
    raise NotImplementedError


if __name__ == "__main__":
    # 拷贝本文件所在的文件夹（包括子文件夹）；可以改成你自己的文件夹
    # copies the folder of this file, subfolders too; change these to your own folders
    source_dir = os.path.dirname(os.path.abspath(__file__))
    dest_dir = tempfile.mkdtemp()

    count = copy_folder_pool(source_dir, dest_dir, workers=4)
    print(f"拷贝完毕 / done: {count} 个文件 / files -> {dest_dir}")
