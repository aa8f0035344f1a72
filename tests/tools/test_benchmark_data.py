"""tools/analysis/benchmark_data.py --converter: the per-core figures beside their limit and the
stdlib reader, on release-like JSON with several-person frames, with identical output."""
import re

from cli import run_tool


def test_converter_figures_are_consistent_and_the_readers_agree(tmp_path):
    proc = run_tool('tools', 'analysis', 'benchmark_data.py', args=[
        '--converter', '--json-videos', 1, '--rounds', 1, '--work-dir', tmp_path])
    out = proc.stdout
    lines = {'parse alone': r'^  parse alone', 'clip path': r'^  clip path  ',
             'streams path': r'^  streams path', 'stdlib json reader': r'^  clip path, stdlib'}
    fps = {name: float(re.search(start + r'.*?(\d+) frames/s', out, re.M).group(1))
           for name, start in lines.items()}
    assert all(v > 0 for v in fps.values())
    # the printed fraction of the limit is the ratio of the printed figures
    frac = float(re.search(r'clip path.*?\(([\d.]+) of the limit', out).group(1))
    assert abs(frac - fps['clip path'] / fps['parse alone']) < 0.01
    # release-like data: several-person frames are present, and both readers give the same clips
    multi, frames = map(int, re.search(r'(\d+) of (\d+) clip frames with several', out).groups())
    assert 0 < multi < frames
    assert '(identical output: True)' in out and out.count('identical output: True') == 3
    assert 'goal >= 50000 frames/s per core' in out
