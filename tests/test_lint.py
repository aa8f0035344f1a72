"""The lint configuration (ruff.toml) holds for the whole tree; `ruff check --fix .` fixes most."""
import os.path as osp
import shutil
import subprocess
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _ruff():
    exe = shutil.which('ruff') or osp.join(osp.dirname(sys.executable), 'ruff')
    if not osp.isfile(exe):
        pytest.fail('ruff is not installed; it comes with the tests extra: pip install -e .[tests]')
    return exe


def test_tree_passes_ruff():
    out = subprocess.run([_ruff(), 'check', '--no-cache', ROOT], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_ruff_catches_an_unused_import(tmp_path):
    bad = tmp_path / 'bad.py'
    bad.write_text('import os\n')
    out = subprocess.run([_ruff(), 'check', '--no-cache', '--config', osp.join(ROOT, 'ruff.toml'),
                          str(bad)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and 'F401' in out.stdout
