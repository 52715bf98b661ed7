"""Loading and diffing a large tenant without the garbage collector's pauses.

Both create millions of small objects that stay alive, none in a reference cycle, so every
collection their allocations trigger walks all of them again for nothing: for 10,000 files of
50 members that was more than half of the loading time and most of the diffing time. Objects
that stay alive for the rest of the process (the loaded files) are frozen after the block:
the collector, turned on again, would otherwise walk every one of them at its next few
collections, since none of them has been through one yet.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collection(*, keep: bool = False) -> Iterator[None]:
    """Turn automatic garbage collection off inside the block, as it was after it; with
    `keep`, freeze every object alive after the block (`gc.freeze`) before turning it on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()
