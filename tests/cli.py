"""Run a command-line script of tools/ as a user does: in its own process.

Tools are scripts, not a package: the tests import library code and run tools only through
this helper, so a tool's imports, argument parsing, exit codes and printed lines are tested as
they are used.
"""
import os
import os.path as osp
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run_tool(*parts: str, args=(), check: bool = True, timeout: float = 600,
             env: dict = None) -> subprocess.CompletedProcess:
    """``run_tool('tools', 'online_detect.py', args=[...])`` -> the finished process (text
    ``stdout`` / ``stderr``); with ``check`` a non-zero exit fails with both streams shown."""
    cmd = [sys.executable, osp.join(REPO_ROOT, *parts), *[str(a) for a in args]]
    full_env = dict(os.environ, OMP_NUM_THREADS='1', **(env or {}))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=REPO_ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f'{" ".join(cmd)} exited {proc.returncode}\n--- stdout\n'
                             f'{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}')
    return proc
