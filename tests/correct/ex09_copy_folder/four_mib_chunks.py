"""The solution with chunks of 4 MiB: each copying process holds two chunks at most, never the file."""

import multiprocessing
import os
import tempfile

# 每次读写的字节数 / how many bytes to read and write at a time
CHUNK_SIZE = 4 * 1024 * 1024  # a large "buffer", still a chunk loop


def copy_file(file_name, source_dir, dest_dir):
    """把 source_dir/file_name 按块、以二进制方式拷贝为 dest_dir/file_name（替换已有文件）。

    Copy source_dir/file_name to dest_dir/file_name byte for byte, in chunks,
    replacing any file of that name in dest_dir.
    """
    source_path = os.path.join(source_dir, file_name)
    dest_path = os.path.join(dest_dir, file_name)
    with open(source_path, "rb") as source_file:
        with open(dest_path, "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)


def copy_folder(source_dir, dest_dir) -> int:
    """每个文件一个子进程，拷贝 source_dir 顶层的所有文件（跳过子文件夹），返回文件个数。

    Copy every regular file at the top level of source_dir into dest_dir
    (created if missing), each in a child process of its own; skip subfolders.
    Return the number of files copied once all copies have ended; raise
    RuntimeError naming the files whose copy failed, FileNotFoundError when
    source_dir is missing.
    """
    names = sorted(os.listdir(source_dir))
    os.makedirs(dest_dir, exist_ok=True)

    processes = []
    for name in names:
        if not os.path.isfile(os.path.join(source_dir, name)):
            continue
        process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
        process.start()
        processes.append((name, process))

    for _name, process in processes:
        process.join()

    # 子进程里的异常到不了这里，只能看退出码
    # an exception in a child never reaches us: its exit code is all we get
    failed = [name for name, process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)


if __name__ == "__main__":
    # 拷贝本文件所在的文件夹；可以改成你自己的文件夹
    # copies the folder of this file; change these to your own folders
    source_dir = os.path.dirname(os.path.abspath(__file__))
    dest_dir = tempfile.mkdtemp()

    count = copy_folder(source_dir, dest_dir)
    print(f"拷贝完毕 / done: {count} 个文件 / files -> {dest_dir}")
