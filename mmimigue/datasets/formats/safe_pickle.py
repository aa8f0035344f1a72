"""The data-only unpickler: every pickle the project reads (converted clip and stream pickles,
score dumps, clip outputs, the challenge kit's label pickles) goes through it, so a data file
cannot run code: only plain containers, numbers, strings and numpy arrays / scalars can be
rebuilt. A truncated or foreign file is a clear error naming it."""
import io
import os.path as osp
import pickle

from .errors import ConversionError

# What a (names, labels) pickle legitimately needs to rebuild numpy arrays and scalars.
_ALLOWED = {
    ('numpy.core.multiarray', '_reconstruct'), ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'), ('numpy._core.multiarray', 'scalar'),
    ('numpy', 'ndarray'), ('numpy', 'dtype'),
    ('numpy.core.numeric', '_frombuffer'), ('numpy._core.numeric', '_frombuffer'),  # protocol 5
    ('builtins', 'list'), ('builtins', 'tuple'), ('builtins', 'dict'), ('builtins', 'set'),
    ('builtins', 'frozenset'), ('builtins', 'int'), ('builtins', 'float'), ('builtins', 'str'),
    ('builtins', 'bytes'), ('builtins', 'bool'), ('builtins', 'complex'),
    ('_codecs', 'encode'),  # protocol-2 pickles of bytes
}


class _DataOnlyUnpickler(pickle.Unpickler):

    def __init__(self, file, path: str, advice: str) -> None:
        super().__init__(file)
        self.path, self.advice = path, advice

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise ConversionError(
            f'{self.path}: the pickle asks for {module}.{name}, which a data file does not need '
            f'(it may run code when loaded); refused. {self.advice}')


LABEL_PICKLE_ADVICE = ('A label pickle holds only names and labels: re-download it from the '
                       'challenge page.')


def load_data_pickle(path: str, advice: str = LABEL_PICKLE_ADVICE):
    """``pickle.load`` of ``path`` restricted to data (see module docstring); ``advice`` ends the
    error raised for a pickle that asks for anything else.

    Raises:
        ConversionError: the pickle is truncated / malformed, or asks for anything but data.
    """
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        return _DataOnlyUnpickler(io.BytesIO(raw), path, advice).load()
    except ConversionError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError) as e:
        raise ConversionError(f'{path}: cannot unpickle ({e}); the file is truncated or not a '
                              'data pickle') from None


def load_converted_pickle(ann_file: str):
    """A converted pickle (clips or streams) of this project, or mmaction2's bare list, read
    with the data-only unpickler: a crafted file cannot run code, and a truncated or foreign one
    is a clear error naming it."""
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'{ann_file} does not exist; convert the release with '
                                'tools/data/imigue/convert.py (docs/data.md)')
    return load_data_pickle(ann_file, 'A converted pickle holds only data: convert the '
                            'release again with tools/data/imigue/convert.py.')
