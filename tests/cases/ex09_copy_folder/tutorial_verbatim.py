"""The tutorial's code in a function: a bare except around os.mkdir, no join, no count.

A dest_dir whose parent is missing makes os.mkdir fail, and the bare except hides it.

Expect: dest_not_created
Check: test_copies_every_file
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    source_path = os.path.join(source_dir, file_name)
    dist_path = os.path.join(dest_dir, file_name)
    with open(source_path, 'rb') as source_file:
        with open(dist_path, 'wb') as dest_file:
            while True:
                data = source_file.read(1024)
                if data:
                    dest_file.write(data)
                else:
                    break


def copy_folder(source_dir, dest_dir):
    try:
        os.mkdir(dest_dir)
    except:
        print("目标文件夹已经存在")
    file_list = os.listdir(source_dir)
    for file_name in file_list:
        sub_process = multiprocessing.Process(target=copy_file, args=(file_name, source_dir, dest_dir))
        sub_process.start()
    print('拷贝完毕')
