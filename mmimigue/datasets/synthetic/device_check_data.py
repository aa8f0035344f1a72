"""The small data set the device check (``tools/analysis/device_check.py``) writes for itself:
every input kind the shipped configs read, in the real formats, in well under a minute.

- a synthetic iMiGUE release (labels.csv + OpenPose JSON) converted to a clip pickle and a
  streams pickle (skeleton, PoseC3D and online models);
- short videos for a few of its videos (RGB and RGB + pose models): a moving, textured blob
  drawn at 320 x 180, as long as the clips of that video need (clips of the other videos are
  skipped by the RGB datasets and counted, as for a release with missing videos);
- toy clip outputs of the emotion split (emotion models).
"""
import os
import os.path as osp
from typing import Dict

import numpy as np

from .emotion_clip_outputs import write_toy_clip_outputs
from .imigue_generator import SyntheticConfig, generate_synthetic_imigue

#: 8 training + 4 test subjects, 2 videos each: every split of the protocol has clips.
DEVICE_CHECK_RELEASE = dict(num_train_subjects=8, num_test_subjects=4, videos_per_subject=2,
                            clips_per_video=(6, 9), seed=0)


def write_moving_video(path: str, num_frames: int, size=(320, 180), fps: float = 25.0,
                       seed: int = 0) -> None:
    """An mp4 (mp4v) of ``num_frames`` frames: a bright disc moving over a noisy background."""
    import cv2
    w, h = size
    rng = np.random.default_rng(seed)
    background = rng.integers(0, 80, (h, w, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    tmp = path + '.tmp.mp4'
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write mp4v video {path}')
    try:
        for t in range(num_frames):
            cx = w / 2 + 0.35 * w * np.sin(t / 15.0)
            cy = h / 2 + 0.3 * h * np.cos(t / 11.0)
            frame = background.copy()
            frame[(xx - cx) ** 2 + (yy - cy) ** 2 < (h / 6) ** 2] = (220, 180, 60)
            writer.write(frame)
    finally:
        writer.release()
    os.replace(tmp, path)


def make_device_check_data(root: str, num_videos: int = 4, workers: int = 2) -> Dict[str, str]:
    """Write the device check's data under ``root`` (reused when already there).

    Returns:
        dict: ``labels`` (labels.csv), ``skeleton_pkl``, ``streams_pkl``, ``videos`` (folder),
        ``emotion_pkl`` and ``root``.
    """
    from ..converters import convert_imigue
    from ..converters.streams import convert_imigue_streams
    from ..formats.imigue_labels import read_labels_csv
    from ..formats.safe_pickle import load_data_pickle
    paths = dict(root=root, labels=osp.join(root, 'release', 'labels.csv'),
                 skeleton_pkl=osp.join(root, 'imigue_skeleton.pkl'),
                 streams_pkl=osp.join(root, 'imigue_streams.pkl'),
                 videos=osp.join(root, 'videos'), emotion_pkl=osp.join(root, 'clip_outputs.pkl'))
    release = osp.join(root, 'release')
    if not osp.isfile(paths['labels']):
        generate_synthetic_imigue(release, SyntheticConfig(**DEVICE_CHECK_RELEASE), workers)
    skeleton = osp.join(release, 'skeleton')
    if not osp.isfile(paths['skeleton_pkl']):
        convert_imigue(paths['labels'], skeleton, paths['skeleton_pkl'], workers=workers,
                       progress=False)
    if not osp.isfile(paths['streams_pkl']):
        convert_imigue_streams(paths['labels'], skeleton, paths['streams_pkl'])
    rows = read_labels_csv(paths['labels'])
    length: Dict[str, int] = {}
    for r in rows:
        length[r['video_id']] = max(length.get(r['video_id'], 0), r['end_frame'] + 1)
    # one video of each split a config reads (train / val / test), plus more training ones
    content = load_data_pickle(paths['skeleton_pkl'])
    video_of = {a['frame_dir']: a['video_id'] for a in content['annotations']}
    chosen = []
    for split in ('xsub_train_minus_val', 'xsub_val', 'xsub_test', 'xsub_train_minus_val'):
        vid = next((video_of[c] for c in content['split'][split]
                    if video_of[c] not in chosen), None)
        if vid is not None:
            chosen.append(vid)
    os.makedirs(paths['videos'], exist_ok=True)
    for i, vid in enumerate(chosen[:max(num_videos, 3)]):
        path = osp.join(paths['videos'], f'{vid}.mp4')
        if not osp.isfile(path):
            write_moving_video(path, length[vid], seed=i)
    if not osp.isfile(paths['emotion_pkl']):
        write_toy_clip_outputs(paths['emotion_pkl'], num_train=24, num_test=12)
    return paths
