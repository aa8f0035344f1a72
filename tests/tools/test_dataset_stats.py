"""tools/analysis/dataset_stats.py on the converted synthetic release."""
import os.path as osp
import pickle
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_stats_table_and_png(synthetic_imigue_pkl, tmp_path):
    out = tmp_path / 'stats.png'
    res = subprocess.run([sys.executable, 'tools/analysis/dataset_stats.py', synthetic_imigue_pkl,
                          '--out', str(out)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    with open(synthetic_imigue_pkl, 'rb') as f:
        annos = pickle.load(f)['annotations']
    videos = {a['video_id']: a['emotion'] for a in annos}
    wins = sum(videos.values())
    assert f'clips: {len(annos)}  videos: {len(videos)} (win {wins}, lose {len(videos) - wins}' \
        in res.stdout
    top = max(range(32), key=lambda k: sum(a['label'] == k for a in annos))
    n_top = sum(a['label'] == top for a in annos)
    first_row = res.stdout.split('class\n')[1].splitlines()[0].split()
    assert first_row[:2] == [str(top), str(n_top)]  # the head of the long tail comes first
    assert out.stat().st_size > 10_000 and out.read_bytes()[:4] == b'\x89PNG'


def test_not_a_converted_pickle(tmp_path):
    bad = tmp_path / 'x.pkl'
    bad.write_bytes(pickle.dumps([1, 2]))
    res = subprocess.run([sys.executable, 'tools/analysis/dataset_stats.py', str(bad)],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    assert res.returncode != 0 and 'not a converted pickle' in res.stderr
