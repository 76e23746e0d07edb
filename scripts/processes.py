"""Server processes started by our scripts (the cluster, the benchmark)."""

import signal
import subprocess


def interruptible():
    """In a child process before it starts: SIGINT stops it again.

    Started from a background job (as a CI runner may start ``make test``),
    the parent ignores SIGINT and its children would inherit that.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process, timeout):
    """Stop as Ctrl-C does (Zope and ZEO close their databases), or harder
    if it must."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
        return
    except subprocess.TimeoutExpired:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
