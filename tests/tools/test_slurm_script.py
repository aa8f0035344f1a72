"""tools/slurm_train.sh passes train.py arguments whole, also when they contain spaces."""
import os
import os.path as osp
import stat
import subprocess

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_arguments_with_spaces_stay_whole(tmp_path):
    fake = tmp_path / 'srun'  # prints every argument it receives on its own line
    fake.write_text('#!/usr/bin/env bash\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}', SRUN_ARGS='--qos high -x n1')
    out = subprocess.run(['bash', 'tools/slurm_train.sh', 'part', 'job', 'cfg.py', 'wd',
                          '--cfg-options', 'work_dir=/data/my runs/a b'], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=30)
    args = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert 'work_dir=/data/my runs/a b' in args and '--cfg-options' in args
    assert ['--qos', 'high', '-x', 'n1'] == args[args.index('--qos'):args.index('--qos') + 4]
    assert args[-1] == 'work_dir=/data/my runs/a b'


@pytest.mark.parametrize('script', ['dist_train.sh', 'dist_test.sh'])
def test_a_taken_port_is_a_clear_error(script):
    import socket
    import subprocess
    import sys
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        s.listen()
        port = s.getsockname()[1]
        res = subprocess.run(['bash', osp.join(ROOT, 'tools', script), 'c.py', 'ck.pth', '2'],
                             capture_output=True, text=True, timeout=60,
                             env=dict(os.environ, PORT=str(port), PYTHON=sys.executable))
    assert res.returncode == 1 and f'port {port}' in res.stderr and 'set PORT' in res.stderr
