"""练习 08：拷贝一个文件（对应教程 §9 / Tutorial §9）

教程 §9 的文件夹拷贝器先要有一个专门拷贝单个文件的函数，本练习就写它。

要写的：copy_file(file_name, source_dir, dest_dir)
  把 source_dir 里名为 file_name 的文件，一字节不差地拷贝到 dest_dir 里同名的文件。
  1. 用 os.path.join 拼出源文件路径和目标文件路径；
  2. 用二进制模式打开：源文件 "rb"，目标文件 "wb"（已有同名文件会被替换）；
  3. 循环：每次 read(CHUNK_SIZE) 读一块就写一块，读到 b"" 说明读完了。

评分程序会检查：拷贝的内容和原文件完全相同（空文件、很大的文件、
含 NUL 字节或不是 UTF-8 的文件、\r\n 换行、带空格或中文的文件名……）；
目标文件夹里原有的同名文件被替换；不会一次把整个文件读进内存。

小心：文本模式（"r"/"w"）会改写换行，遇到非 UTF-8 的字节还会报错，图片就坏了；
read() 不带参数会把整个文件读进内存。

Exercise 08: copy one file (Tutorial §9)

The folder copier of Tutorial §9 needs a function that copies one file: write it.

Write copy_file(file_name, source_dir, dest_dir): copy the file file_name in
source_dir to the file of the same name in dest_dir, byte for byte.
  1. build both paths with os.path.join;
  2. open them in binary mode: the source "rb", the destination "wb" (a file of
     that name already there is replaced);
  3. loop: read(CHUNK_SIZE) one chunk, write it; b"" means the end of the file.

The grader checks: the copy has exactly the bytes of the original (empty files,
large files, NUL bytes, bytes that are not UTF-8, \r\n line ends, names with
spaces or Chinese characters...); an existing file of that name is replaced;
the whole file is never read into memory at once.

Traps: text mode ("r"/"w") rewrites line ends and fails on bytes that are not
UTF-8, which breaks pictures; read() with no size reads the whole file at once.
"""

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


if __name__ == "__main__":
    # 拷贝本文件自己；可以改成你自己的文件和文件夹
    # copies this very file; change these to your own file and folders
    source_dir = os.path.dirname(os.path.abspath(__file__))
    file_name = os.path.basename(__file__)
    dest_dir = tempfile.mkdtemp()

    copy_file(file_name, source_dir, dest_dir)
    print("已拷贝到 / copied to:", os.path.join(dest_dir, file_name))
