"""No network without namespaces: a seccomp filter (through libseccomp) that refuses every socket but a local one.

Where bubblewrap cannot give the grading a network of its own (root in Docker; a user whom AppArmor
refuses user namespaces), this filter is the next best: once installed in a process, it and every
process it starts (inherited through ``fork`` and ``exec``, and it can never be removed) get
``EACCES`` from ``socket()`` for any family but ``AF_UNIX`` (which multiprocessing's fork server,
managers and queues use), and ``ENOSYS`` from ``io_uring_setup`` (io_uring can open sockets
without the ``socket`` system call). No TCP, UDP, raw or netlink socket can be made, so no
connection leaves, to the loopback or anywhere. libseccomp (on every Debian and Ubuntu system: apt
needs it) turns the rule into the BPF program of each architecture.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import socket
import sys

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE = 1
_PR_SET_NO_NEW_PRIVS = 38


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0x0000FFFF)  # SCMP_ACT_ERRNO(code)


class _ArgumentTest(ctypes.Structure):
    """libseccomp's ``struct scmp_arg_cmp``."""

    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                           ctypes.POINTER(_ArgumentTest)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def unavailable() -> str | None:
    """Why the filter cannot be installed here, or None when :func:`block` can."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    if _library() is None:
        return "libseccomp is not installed (apt-get install libseccomp2)"
    return None


def block() -> None:
    """Refuse this process and all it will start every socket but ``AF_UNIX``, for good. OSError if it cannot.

    Safe to call between ``fork`` and ``exec`` (subprocess's ``preexec_fn``): it only calls C functions.
    """
    lib = _library()
    if lib is None:
        raise OSError(errno.ENOSYS, unavailable())
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:  # what lets a process without CAP_SYS_ADMIN filter itself
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    context = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise OSError(errno.ENOMEM, "seccomp_init")
    try:
        not_local = (_ArgumentTest * 1)(_ArgumentTest(0, SCMP_CMP_NE, socket.AF_UNIX, 0))
        rules = [(b"socket", _errno_action(errno.EACCES), not_local, 1),
                 (b"io_uring_setup", _errno_action(errno.ENOSYS), None, 0)]
        for name, action, tests, count in rules:
            number = lib.seccomp_syscall_resolve_name(name)
            if number < 0:  # this architecture has no such call
                continue
            result = lib.seccomp_rule_add_array(context, action, number, count, tests)
            if result != 0:
                raise OSError(-result, f"seccomp_rule_add({name.decode()})")
        result = lib.seccomp_load(context)
        if result != 0:
            raise OSError(-result, "seccomp_load")
    finally:
        lib.seccomp_release(context)


def works_here() -> bool:
    """Whether a child process with the filter installed really cannot make an internet socket (tried once)."""
    if unavailable() is not None or not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid == 0:
        try:
            block()
            try:
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
                os._exit(1)
            except PermissionError:
                socket.socketpair()
                os._exit(0)
        except BaseException:  # noqa: BLE001 - any failure means it does not work here
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
