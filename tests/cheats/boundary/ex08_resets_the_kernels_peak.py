"""Reads every file whole, frees it, then resets its own process's peak of resident memory (writing
5 to /proc/self/clear_refs), and hides Python's count too: both counts of the copy's memory say
it held nothing. The boundary alone does not see it (the peak is the kernel's, reset by its
owner); the tamper hook reports the write."""
import gc
import os
import tracemalloc

tracemalloc.get_traced_memory = lambda: (0, 0)
tracemalloc.reset_peak = lambda: None


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        data = source_file.read()
    with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
        dest_file.write(data)
    del data
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
