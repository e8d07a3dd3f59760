"""A pool of one worker more than it was given: workers + 1 processes alive at once.

Expect: too_many_alive
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
    with open(src, "rb") as source_file:
        with open(dst, "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)


def copy_folder_pool(source_dir, dest_dir, workers=4) -> int:
    """用 workers 个进程的进程池拷贝整个文件夹树，返回拷贝的文件个数。

    Copy the whole tree source_dir into dest_dir, byte for byte, with a pool of
    workers processes; return the number of files copied. Raise
    FileNotFoundError when source_dir is missing, and RuntimeError naming the
    failed files, after all the other copies have finished.
    """
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(f"source folder not found: {source_dir}")

    # 先列出所有要做的事，再动手：目标文件夹在源文件夹里面时也不会越拷越多
    # plan first, then copy: a dest_dir inside source_dir cannot then grow while we walk
    folders = []
    tasks = []
    for folder, _subfolders, files in os.walk(source_dir):
        rel_folder = os.path.relpath(folder, source_dir)
        folders.append(os.path.normpath(os.path.join(dest_dir, rel_folder)))
        for name in sorted(files):
            src = os.path.join(folder, name)
            if os.path.isfile(src):
                rel = os.path.normpath(os.path.join(rel_folder, name))
                tasks.append((rel, src, os.path.join(dest_dir, rel)))

    for folder in folders:
        os.makedirs(folder, exist_ok=True)

    failed = []
    with multiprocessing.Pool(workers + 1) as pool:
        pending = [(rel, pool.apply_async(copy_one, (src, dst))) for rel, src, dst in tasks]
        for rel, result in pending:
            try:
                # .get() 把任务里的异常在这里重新抛出
                # .get() raises here the exception the task raised
                result.get()
            except Exception as error:
                failed.append(f"{rel} ({type(error).__name__}: {error})")
        # close + join：让子进程正常退出，而不是在 with 结束时被 terminate
        # close + join: the workers exit normally instead of being terminated by with
        pool.close()
        pool.join()

    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(tasks)


if __name__ == "__main__":
    # 拷贝本文件所在的文件夹（包括子文件夹）；可以改成你自己的文件夹
    # copies the folder of this file, subfolders too; change these to your own folders
    source_dir = os.path.dirname(os.path.abspath(__file__))
    dest_dir = tempfile.mkdtemp()

    count = copy_folder_pool(source_dir, dest_dir, workers=4)
    print(f"拷贝完毕 / done: {count} 个文件 / files -> {dest_dir}")
