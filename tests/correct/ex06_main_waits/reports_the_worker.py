"""start_worker looks at the worker once after starting it (is_alive, exitcode, join(0)) and
reports it, without waiting; the program joins it at exit as well (atexit)."""
import atexit
import multiprocessing
import time


def work(num, delay):
    for n in range(1, num + 1):
        print("工作中。。。。", f"({n}/{num})")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), name="worker")
    process.start()
    process.join(0)
    print(f"{process.name}: pid={process.pid} alive={process.is_alive()} exitcode={process.exitcode}")
    atexit.register(process.join)
    return process
