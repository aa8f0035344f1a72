"""Generated sections of a markdown page: one tool owns the text between
``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` and rewrites only that, so several generators
(``tools/benchmark.py``, ``tools/analysis/device_check.py``) can share docs/benchmarks.md."""
import os.path as osp
import re


def _markers(name: str):
    return f'<!-- {name}:start -->', f'<!-- {name}:end -->'


def get_section(text: str, name: str) -> str:
    """The marked section ``name`` of ``text`` with its markers ('' when absent)."""
    start, end = _markers(name)
    m = re.search(re.escape(start) + r'.*?' + re.escape(end), text, re.S)
    return m.group(0) if m else ''


def put_section(text: str, name: str, body: str) -> str:
    """``text`` with section ``name`` replaced by ``body`` (appended when absent)."""
    start, end = _markers(name)
    block = f'{start}\n{body.rstrip()}\n{end}'
    old = get_section(text, name)
    if old:
        return text.replace(old, block)
    return text.rstrip('\n') + '\n\n' + block + '\n'


def read_text(path: str) -> str:
    """The file's text, '' when it does not exist yet."""
    if not osp.isfile(path):
        return ''
    with open(path, encoding='utf-8') as f:
        return f.read()
