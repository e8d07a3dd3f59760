"""练习 09：多进程文件夹拷贝器（对应教程 §9 / Tutorial §9）

教程 §9 的案例：把一个文件夹里的文件拷贝到另一个文件夹，每个文件由一个子进程拷贝。

要写的：copy_file(...) 和练习 08 完全一样；copy_folder(source_dir, dest_dir)：
  1. os.makedirs(dest_dir, exist_ok=True) 创建目标文件夹（已存在也不报错）；
  2. os.listdir(source_dir) 得到文件列表（源文件夹不存在时它抛出
     FileNotFoundError，让它抛出去）；只拷贝文件，跳过子文件夹（os.path.isfile）；
  3. 每个文件一个子进程：Process(target=copy_file, args=(name, source_dir, dest_dir))；
  4. 先全部 start()，再全部 join()；
  5. exitcode 不为 0 的子进程拷贝失败了：有失败就抛出 RuntimeError，写出失败的
     文件名；全部成功就返回拷贝的文件个数。

评分程序会检查：每个文件一字节不差；跳过子文件夹；每个文件在自己的子进程里拷贝；
返回前所有拷贝都已完成；返回值；失败时抛出的异常写出了文件名。

小心：教程的代码没有 join()，打印 "拷贝完毕" 时可能还没拷完；子进程里的异常
不会传到主进程，只有 exitcode 能看出来；用光秃秃的 except 包住 os.mkdir 会吞掉真正的错误。

Exercise 09: a folder copier with processes (Tutorial §9)

The tutorial's case study: copy the files of a folder into another folder, each
file copied by a child process of its own.

Write copy_file(...) exactly as in exercise 08, and copy_folder(source_dir,
dest_dir): 1. os.makedirs(dest_dir, exist_ok=True); 2. os.listdir(source_dir)
(it raises FileNotFoundError for a missing folder: let it), files only, skip
subfolders; 3. one child process per file running copy_file; 4. start them all,
then join them all; 5. a child whose exitcode is not 0 failed: raise RuntimeError
naming the failed file(s), else return the number of files copied.

The grader checks: every file byte for byte; subfolders skipped; each file copied
in a process of its own; all copies finished before it returns; the count; a
failure raises an exception naming the file.

Traps: the tutorial never joins, so "拷贝完毕" may print too early; an exception
in a child never reaches the main process, only its exitcode tells; a bare
except around os.mkdir hides real errors too.
"""

import multiprocessing
import os
import tempfile

# 每次读写的字节数 / how many bytes to read and write at a time
CHUNK_SIZE = 1024 * 64


def copy_file(file_name, source_dir, dest_dir):
    """把 source_dir/file_name 按块、以二进制方式拷贝为 dest_dir/file_name（替换已有文件）。

    Copy source_dir/file_name to dest_dir/file_name byte for byte, in chunks,
    replacing any file of that name in dest_dir.
    """
    raise NotImplementedError


def copy_folder(source_dir, dest_dir) -> int:
    """每个文件一个子进程，拷贝 source_dir 顶层的所有文件（跳过子文件夹），返回文件个数。

    Copy every regular file at the top level of source_dir into dest_dir
    (created if missing), each in a child process of its own; skip subfolders.
    Return the number of files copied once all copies have ended; raise
    RuntimeError naming the files whose copy failed, FileNotFoundError when
    source_dir is missing.
    """
    raise NotImplementedError


if __name__ == "__main__":
    # 拷贝本文件所在的文件夹；可以改成你自己的文件夹
    # copies the folder of this file; change these to your own folders
    source_dir = os.path.dirname(os.path.abspath(__file__))
    dest_dir = tempfile.mkdtemp()

    count = copy_folder(source_dir, dest_dir)
    print(f"拷贝完毕 / done: {count} 个文件 / files -> {dest_dir}")
