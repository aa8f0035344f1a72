"""Cut the labelled iMiGUE clips out of the full videos into one video file per clip.

Not needed for training (``IMiGUERGBDataset`` decodes clips straight out of the full videos);
use it when you want clip files, e.g. for mmaction2's plain ``VideoDataset``. Writes
``OUT_DIR/<frame_dir>.mp4`` (``frame_dir`` = ``<video_id>_<label_id>``, the id used by every
mmimigue dataset) and, per split, ``OUT_DIR/<split>_list.txt`` with ``<file> <label>`` lines in
``VideoDataset``'s format. Clips of missing videos or starting past their video's end are skipped,
clips ending past it are cut at the last frame; all are counted in the printed summary.

Example::

    python tools/data/imigue/cut_clips.py --ann data/imigue/labels.csv \
        --video-root data/imigue/videos --out-dir data/imigue/clips --short-side 256
"""
import argparse
import os
import os.path as osp
import sys
from collections import defaultdict
from typing import Dict, List, Optional

import cv2
import numpy as np

from mmimigue.datasets.imigue_rgb_dataset import check_clip_ranges, read_clip_records


def _resize(frames: np.ndarray, short_side: Optional[int]) -> np.ndarray:
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
    """Write one video per clip; returns a summary (counts, skipped clips, list files)."""
    import decord
    clips, splits = read_clip_records(ann_file, split_file)
    items = []
    for c in clips:
        info = dict(c, filename=osp.join(video_root, video_template.format(video_id=c['video_id'])),
                    clip_start=c['start_frame'], clip_end=c['end_frame'])
        items.append(info)
    summary: dict = {}
    items = check_clip_ranges(items, summary)
    os.makedirs(out_dir, exist_ok=True)
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
            writer = None
            for s in range(info['clip_start'], info['clip_end'] + 1, chunk):
                idx = list(range(s, min(s + chunk, info['clip_end'] + 1)))
                frames = _resize(reader.get_batch(idx).asnumpy(), short_side)
                if writer is None:
                    h, w = frames.shape[1:3]
                    writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*codec), fps, (w, h))
                    if not writer.isOpened():
                        raise RuntimeError(f'OpenCV cannot write {out} with codec {codec!r}; '
                                           'try --codec MJPG with an .avi template')
                for f in frames:
                    writer.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
            writer.release()
            written += 1
    kept = {i['frame_dir']: i for i in items}
    lists = {}
    for name, ids in splits.items():
        path = osp.join(out_dir, f'{name}_list.txt')
        with open(path, 'w') as f:
            for fid in ids:
                if fid in kept:
                    f.write(f'{fid}.mp4 {kept[fid]["label"]}\n')
        lists[name] = path
    summary.update(clips=len(items), written=written, already_there=existing, lists=lists)
    return summary


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--ann', required=True, help='labels.csv or a converted skeleton pickle')
    p.add_argument('--video-root', required=True, help='folder of the full videos')
    p.add_argument('--out-dir', required=True, help='where the clip files go')
    p.add_argument('--video-template', default='{video_id}.mp4',
                   help='video file name under --video-root (default {video_id}.mp4)')
    p.add_argument('--split-file', help='JSON split override (labels.csv input)')
    p.add_argument('--short-side', type=int, help='resize so the short side has this size')
    p.add_argument('--codec', default='mp4v', help='OpenCV fourcc (default mp4v)')
    p.add_argument('--overwrite', action='store_true', help='rewrite existing clip files')
    args = p.parse_args(argv)
    s = cut_clips(args.ann, args.video_root, args.out_dir, args.video_template, args.split_file,
                  args.short_side, args.codec, overwrite=args.overwrite)
    print(f"clips: {s['clips']} ({s['written']} written, {s['already_there']} already there); "
          f"skipped {s['skipped_missing_video']} with missing videos, "
          f"{s['skipped_past_video_end']} starting past the video end; "
          f"cut {s['truncated_at_video_end']} at the video end")
    for fid, reason in s['skipped'][:10]:
        print(f'  skipped {fid}: {reason}')
    for name, path in s['lists'].items():
        print(f'{name}: {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
