"""Cut the labelled iMiGUE clips out of the full videos into one video file per clip.

Not needed for training (``MGIMiGUERGBDataset`` decodes clips straight out of the full videos);
for users who want clip files, e.g. for mmaction2's plain ``VideoDataset``
(``tools/data/imigue/cut_clips.py``). Writes ``OUT_DIR/<frame_dir>.mp4`` and, per split,
``OUT_DIR/<split>_list.txt`` with ``<file> <label>`` lines in ``VideoDataset``'s format.
"""
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional

import numpy as np

from ..fileio import OutputPlan, atomic_output, atomic_write
from .formats.clip_id import check_path_component
from .formats.clip_records import check_clip_ranges, read_clip_records


def _resize(frames: np.ndarray, short_side: Optional[int]) -> np.ndarray:
    import cv2
    if not short_side:
        return frames
    h, w = frames.shape[1:3]
    scale = short_side / min(h, w)
    size = (int(round(w * scale)), int(round(h * scale)))
    return np.stack([cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in frames])


def cut_clips(ann_file: str, video_root: str, out_dir: str,
              video_template: str = '{video_id}.mp4', split_file: Optional[str] = None,
              short_side: Optional[int] = None, codec: str = 'mp4v',
              chunk: int = 64, overwrite: bool = False) -> dict:
    """Write one video per clip; returns a summary (counts, skipped clips, list files).

    Split names and clip ids from the annotation file become file names only after
    :func:`~mmimigue.datasets.formats.clip_id.check_path_component` (a split named
    ``../../x`` is refused); every file is written atomically and never over an input.
    """
    import cv2
    import decord
    clips, splits = read_clip_records(ann_file, split_file)
    items = []
    for c in clips:
        info = dict(c, filename=osp.join(video_root, video_template.format(video_id=c['video_id'])),
                    clip_start=c['start_frame'], clip_end=c['end_frame'])
        items.append(info)
    summary: dict = {}
    items = check_clip_ranges(items, summary)
    for name in splits:  # split names and clip ids become file names: never outside out_dir
        check_path_component(name, 'split name', ann_file)
    for info in items:
        check_path_component(info['frame_dir'], 'clip id', ann_file)
    plan = OutputPlan(inputs=[ann_file, split_file] + sorted({i['filename'] for i in items}))
    for name in splits:
        plan.add(osp.join(out_dir, f'{name}_list.txt'), 'clip list')
    by_video: Dict[str, List[dict]] = defaultdict(list)
    for info in items:
        by_video[info['filename']].append(info)
    written = existing = 0
    for path, infos in sorted(by_video.items()):
        reader = decord.VideoReader(path, num_threads=1)
        fps = reader.get_avg_fps() or 25.0
        for info in infos:
            out = osp.join(out_dir, info['frame_dir'] + '.mp4')
            if osp.isfile(out) and not overwrite:
                existing += 1
                continue
            plan.add(out, 'clip file')
            writer = None
            with atomic_output(out) as tmp:  # a clip file is whole or absent
                for s in range(info['clip_start'], info['clip_end'] + 1, chunk):
                    idx = list(range(s, min(s + chunk, info['clip_end'] + 1)))
                    frames = _resize(reader.get_batch(idx).asnumpy(), short_side)
                    if writer is None:
                        h, w = frames.shape[1:3]
                        writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*codec), fps,
                                                 (w, h))
                        if not writer.isOpened():
                            raise RuntimeError(f'OpenCV cannot write {out} with codec {codec!r};'
                                               ' try --codec MJPG with an .avi template')
                    for f in frames:
                        writer.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
                writer.release()
            written += 1
    kept = {i['frame_dir']: i for i in items}
    lists = {}
    for name, ids in splits.items():
        path = osp.join(out_dir, f'{name}_list.txt')
        atomic_write(path, ''.join(f'{fid}.mp4 {kept[fid]["label"]}\n' for fid in ids
                                   if fid in kept))
        lists[name] = path
    summary.update(clips=len(items), written=written, already_there=existing, lists=lists)
    return summary
