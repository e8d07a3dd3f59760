"""work sleeps before each line (sys.stdout.write and flush); start_daemon_worker says what it
started, and the program says goodbye at exit (atexit) while the daemon is still at work."""
import atexit
import multiprocessing
import sys
import time


def work(num, delay):
    for _ in range(num):
        time.sleep(delay)
        sys.stdout.write("工作中。。。。\n")
        sys.stdout.flush()


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.daemon = True
    process.start()
    print(f"daemon {process.pid} started, alive={process.is_alive()}")
    atexit.register(print, "main program ends")
    return process
