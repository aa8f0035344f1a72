"""Cut the labelled iMiGUE clips out of the full videos into one video file per clip.

Not needed for training (``MGIMiGUERGBDataset`` decodes clips straight out of the full videos);
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
import sys


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
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.rgb_clip_files import cut_clips
    try:
        s = cut_clips(args.ann, args.video_root, args.out_dir, args.video_template, args.split_file,
                      args.short_side, args.codec, overwrite=args.overwrite)
    except (ConversionError, ValueError, FileNotFoundError, RuntimeError) as e:
        sys.exit(f'cut_clips: {e}')
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
