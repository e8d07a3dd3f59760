"""The name is set on a wrapper process whose child runs the target under another name.

Expect: wrong_name_in_child
Check: test_child_sees_its_name
"""
import multiprocessing


class Named(multiprocessing.Process):
    def run(self):
        multiprocessing.current_process().name = "something-else"
        super().run()


def make_process(target, name):
    return Named(target=target, name=name)
