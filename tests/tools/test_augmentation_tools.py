"""tools/analysis/visualize_augmentations.py and benchmark_pipeline.py run end to end."""
import os.path as osp

import numpy as np
from cli import run_tool

from mmimigue.visualization import augmentations as vis

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_demo_clip_is_an_imigue22_round_trip():
    clip = vis.make_demo_clip(40)
    kp = clip['keypoint']
    assert kp.shape == (1, 40, 22, 2) and clip['keypoint_score'].shape == (1, 40, 22)
    wrist_y = kp[0, :, 4, 1]
    assert wrist_y[20] < wrist_y[0] - 150 and abs(wrist_y[-1] - wrist_y[0]) < 10  # up and back


def test_visualisation_png_from_generated_and_converted_clips(tmp_path, synthetic_imigue_pkl):
    tool = ('tools', 'analysis', 'visualize_augmentations.py')
    out = tmp_path / 'grid.png'
    run_tool(*tool, args=['--out', out, '--frames', '4', '--dpi', '50'])
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and out.stat().st_size < 200_000
    out2 = tmp_path / 'clip.png'
    run_tool(*tool, args=['--ann-file', synthetic_imigue_pkl, '--index', '1', '--out', out2,
                          '--frames', '3', '--dpi', '50'])
    assert out2.stat().st_size > 1000
    proc = run_tool(*tool, args=['--ann-file', synthetic_imigue_pkl, '--index', '100000',
                                 '--out', out2], check=False)
    assert proc.returncode == 1 and 'out of range' in proc.stderr


def test_tools_read_mmap_storage_pickles(tmp_path, synthetic_imigue_pkl):
    import pickle

    from mmimigue.datasets.keypoint_store import write_pose_pickle
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    mmap = str(tmp_path / 'mmap.pkl')
    write_pose_pickle(content, mmap, storage='mmap')
    clip = vis.load_clip(mmap, 2, 'imigue22')
    ref = vis.load_clip(synthetic_imigue_pkl, 2, 'imigue22')
    np.testing.assert_array_equal(clip['keypoint'], ref['keypoint'])
    np.testing.assert_array_equal(clip['keypoint_score'], ref['keypoint_score'])
    clips = [vis.load_clip(mmap, i, 'imigue22') for i in range(3)]
    assert len(clips) == 3 and clips[0]['keypoint'].shape[2] == 22


def test_benchmark_prints_ratios():
    out = run_tool('tools', 'analysis', 'benchmark_pipeline.py',
                   args=['--num-clips', '6', '--rounds', '1', '--clip-len', '16']).stdout
    assert 'stock (1 view)' in out and 'MG 2 views, shared sampling' in out
    assert '(2, 1, 16, 22, 3)' in out and '(1, 1, 16, 22, 3)' in out
    ratios = [float(line.split('= ')[1].split(':')[0]) for line in out.splitlines()
              if 'ratio (MG 2 views' in line]
    assert len(ratios) == 2 and all(np.isfinite(ratios)) and all(r > 0 for r in ratios)
