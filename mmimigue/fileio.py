"""The one output guard: outputs never replace inputs, and are whole or absent.

Every writer of the project goes through here:

* :class:`OutputPlan` checks a run's outputs before any work: an output may not be, hard-link
  or symlink to one of the run's inputs or to another of its outputs; its folder must be
  creatable and writable; replacing an existing file is reported.
* :func:`atomic_output` / :func:`atomic_write` write to a temporary file created exclusively,
  with an unpredictable name, in the target's folder (never through a symlink: the name is new),
  and rename it over the target (``os.replace`` is atomic on one file system); a failed write
  removes the temporary file and leaves any older output untouched.
"""
import logging
import os
import os.path as osp
import tempfile
from contextlib import contextmanager
from typing import Iterable, Iterator, List, Optional, Union

logger = logging.getLogger('mmimigue')


class OutputError(ValueError):
    """An output that would destroy an input, collide with another output, or cannot be
    written."""


def same_file(a: str, b: str) -> bool:
    """Whether two paths name the same file: equal after resolving symlinks, or hard links."""
    if osp.realpath(a) == osp.realpath(b):
        return True
    try:
        return osp.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def check_writable(path: str) -> None:
    """Create ``path``'s folder if needed and check it is writable, before any work is done."""
    folder = osp.dirname(osp.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise OutputError(f'{path}: cannot create its folder {folder} ({e.strerror}); choose '
                          'another output path') from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f'{path}: the folder {folder} is not writable; choose another output '
                          'path or fix its permissions')
    if osp.isdir(path):
        raise OutputError(f'{path} is a folder; give a file name')


class OutputPlan:
    """The outputs of one run, checked against its inputs and against each other up front.

    Args:
        inputs (Iterable[str]): Files (or folders) the run reads; None entries are ignored.

    Example::

        plan = OutputPlan(inputs=[args.ann, args.split_file])
        plan.add(args.out)
        plan.add(args.streams, 'streams pickle')
    """

    def __init__(self, inputs: Iterable[Optional[str]] = ()) -> None:
        self.inputs: List[str] = [str(p) for p in inputs if p]
        self.outputs: List[str] = []

    def add_input(self, path: Optional[str]) -> None:
        if path:
            self.inputs.append(str(path))

    def add(self, path: str, what: str = 'output') -> str:
        """Check ``path`` and remember it as an output; returns it.

        Raises:
            OutputError: it is (or links to) an input or another output of the run, or its
                folder cannot be written.
        """
        path = str(path)
        for src in self.inputs:
            if same_file(path, src) or (osp.isdir(src) and
                                        osp.realpath(path) == osp.realpath(src)):
                raise OutputError(f'{what} {path} would overwrite the input {src} of this run; '
                                  'choose another path')
        for other in self.outputs:
            if same_file(path, other):
                raise OutputError(f'{what} {path} is also another output of this run ({other}); '
                                  'give each output its own path')
        check_writable(path)
        if osp.lexists(path):
            logger.warning('%s %s exists and will be replaced', what, path)
        self.outputs.append(path)
        return path


def temporary_beside(path: str) -> str:
    """A new, empty file beside ``path`` with an unpredictable name (created exclusively) and
    ``path``'s extension, for writers that need a file name (savefig, VideoWriter, memmaps)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    root, ext = osp.splitext(osp.basename(path))
    fd, tmp = tempfile.mkstemp(prefix=f'.{root}.', suffix=f'.tmp{ext}', dir=folder)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output gets the usual mode
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_quietly(path: Optional[str]) -> None:
    """Remove a temporary file if it is there."""
    if path and osp.lexists(path):
        os.remove(path)


@contextmanager
def atomic_output(path: str) -> Iterator[str]:
    """Yield a temporary path beside ``path`` (same extension, so tools that infer the format
    from it, such as matplotlib's ``savefig``, still work); rename it to ``path`` on success,
    remove it on failure."""
    tmp = temporary_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        remove_quietly(tmp)


def atomic_write(path: str, data: Union[bytes, str]) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically, flushed to disk before the
    rename."""
    with atomic_output(path) as tmp:
        with open(tmp, 'wb') as f:
            f.write(data.encode('utf-8') if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
