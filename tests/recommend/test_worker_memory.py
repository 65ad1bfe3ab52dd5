"""An analysis worker keeps freed memory for its next track instead of asking the kernel again."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")

#: Allocates, fills and frees 40 MB twice; prints the page faults of the second time.
_PROBE = """
import ctypes, resource, sys
from player.recommend.analysis import prepare_worker
if sys.argv[1] == "worker":
    prepare_worker()
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
def fill():
    block = libc.malloc(40 << 20)
    ctypes.memset(block, 1, 40 << 20)
    libc.free(block)
fill()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
fill()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _second_fill_faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True, timeout=60
    )
    return int(done.stdout.strip())


def test_worker_reuses_freed_memory_where_a_plain_process_faults_it_in_again() -> None:
    plain = _second_fill_faults("plain")
    worker = _second_fill_faults("worker")
    assert plain > 2000  # 40 MB of 4 KiB pages, zeroed by the kernel a second time
    assert worker < 200
