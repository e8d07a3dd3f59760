"""One Process per part, each sending its sum back through a Pipe of its own; a spawn context."""
import multiprocessing

ctx = multiprocessing.get_context("spawn")


def sum_of_squares(start, stop):
    total = 0
    i = start
    while i < stop:
        total += i * i
        i += 1
    return total


def _part(conn, start, stop):
    conn.send(sum_of_squares(start, stop))
    conn.close()


def parallel_sum_of_squares(stop, workers):
    pipes, processes = [], []
    for k in range(workers):
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_part, args=(sender, stop * k // workers, stop * (k + 1) // workers))
        process.start()
        sender.close()
        pipes.append(receiver)
        processes.append(process)
    total = sum(receiver.recv() for receiver in pipes)
    for process in processes:
        process.join()
    return total
