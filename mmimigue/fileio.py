"""Outputs written atomically: a reader (or a crash) never sees half a file.

Everything is written to a temporary file beside the target, then renamed over it
(``os.replace`` is atomic on one file system); a failed write removes the temporary file and
leaves any older output untouched.
"""
import os
import os.path as osp
from contextlib import contextmanager
from typing import Iterator, Union


@contextmanager
def atomic_output(path: str) -> Iterator[str]:
    """Yield a temporary path beside ``path`` (same extension, so tools that infer the format
    from it, such as matplotlib's ``savefig``, still work); rename it to ``path`` on success."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    root, ext = osp.splitext(path)
    tmp = f'{root}.tmp-{os.getpid()}{ext}'
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def atomic_write(path: str, data: Union[bytes, str]) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    with atomic_output(path) as tmp:
        with open(tmp, 'wb') as f:
            f.write(data.encode('utf-8') if isinstance(data, str) else data)
