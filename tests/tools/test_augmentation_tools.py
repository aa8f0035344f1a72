"""tools/analysis/visualize_augmentations.py and benchmark_pipeline.py run end to end."""
import os.path as osp

import numpy as np
import pytest
from tool_loader import load_tool

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def analysis_tool(name):
    return load_tool('tools', 'analysis', f'{name}.py')


def test_demo_clip_is_an_imigue22_round_trip():
    vis = analysis_tool('visualize_augmentations')
    clip = vis.make_demo_clip(40)
    kp = clip['keypoint']
    assert kp.shape == (1, 40, 22, 2) and clip['keypoint_score'].shape == (1, 40, 22)
    wrist_y = kp[0, :, 4, 1]
    assert wrist_y[20] < wrist_y[0] - 150 and abs(wrist_y[-1] - wrist_y[0]) < 10  # up and back


def test_visualisation_png_from_generated_and_converted_clips(tmp_path, synthetic_imigue_pkl):
    vis = analysis_tool('visualize_augmentations')
    out = tmp_path / 'grid.png'
    vis.main(['--out', str(out), '--frames', '4', '--dpi', '50'])
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and out.stat().st_size < 200_000
    out2 = tmp_path / 'clip.png'
    vis.main(['--ann-file', synthetic_imigue_pkl, '--index', '1', '--out', str(out2),
              '--frames', '3', '--dpi', '50'])
    assert out2.stat().st_size > 1000
    with pytest.raises(SystemExit, match='out of range'):
        vis.main(['--ann-file', synthetic_imigue_pkl, '--index', '100000', '--out', str(out2)])


def test_tools_read_mmap_storage_pickles(tmp_path, synthetic_imigue_pkl, capsys):
    import pickle

    from mmimigue.datasets.keypoint_store import write_pose_pickle
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    mmap = str(tmp_path / 'mmap.pkl')
    write_pose_pickle(content, mmap, storage='mmap')
    vis = analysis_tool('visualize_augmentations')
    clip = vis.load_clip(mmap, 2, 'imigue22')
    ref = vis.load_clip(synthetic_imigue_pkl, 2, 'imigue22')
    np.testing.assert_array_equal(clip['keypoint'], ref['keypoint'])
    np.testing.assert_array_equal(clip['keypoint_score'], ref['keypoint_score'])
    bench = analysis_tool('benchmark_pipeline')
    clips = bench.load_clips(mmap, 3, 'imigue22')
    assert len(clips) == 3 and clips[0]['keypoint'].shape[2] == 22


def test_benchmark_prints_ratios(capsys):
    bench = analysis_tool('benchmark_pipeline')
    bench.main(['--num-clips', '6', '--rounds', '1', '--clip-len', '16'])
    out = capsys.readouterr().out
    assert 'stock (1 view)' in out and 'MG 2 views, shared sampling' in out
    assert '(2, 1, 16, 22, 3)' in out and '(1, 1, 16, 22, 3)' in out
    ratios = [float(line.split('= ')[1].split(':')[0]) for line in out.splitlines()
              if 'ratio (MG 2 views' in line]
    assert len(ratios) == 2 and all(np.isfinite(ratios)) and all(r > 0 for r in ratios)
