"""Convert the official iMiGUE release to mmaction2's PoseDataset pickle.

Example:
    python tools/data/imigue/convert.py --ann data/imigue/labels.csv \
        --skeleton-root data/imigue/skeleton --out data/imigue/imigue_skeleton.pkl --workers 4
"""
import argparse
import sys
import time

from mmimigue.datasets.converters import ConversionError, convert_imigue, format_summary
from mmimigue.datasets.stream_store import plan_conversion_outputs


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('--ann', required=True, help='labels.csv of the release')
    p.add_argument('--skeleton-root', required=True,
                   help='folder with one OpenPose JSON folder per video (skeleton/<video_id>/)')
    p.add_argument('--out', default='data/imigue/imigue_skeleton.pkl', help='output pickle')
    p.add_argument('--split-file', default=None,
                   help='JSON overriding the official split: {"train_subjects": [...], '
                        '"test_subjects": [...], "emotion_train_videos": [...], '
                        '"emotion_test_videos": [...]}')
    p.add_argument('--workers', type=int, default=1, help='parallel parsing processes')
    p.add_argument('--img-shape', type=int, nargs=2, default=(720, 1280), metavar=('H', 'W'),
                   help='frame size of the videos the skeletons come from')
    p.add_argument('--skip-corrupt', action='store_true',
                   help='count corrupt JSON files as missing frames instead of stopping')
    p.add_argument('--max-missing-ratio', type=float, default=0.5,
                   help='skip (and report) clips with a larger fraction of missing frame files')
    p.add_argument('--storage', choices=('inline', 'mmap'), default='inline',
                   help='inline: keypoints inside the pickle (mmaction2 PoseDataset schema); '
                        'mmap: one shared memory-mapped <out stem>.keypoints.npy beside the '
                        'pickle (fast to open, one copy for all dataloader workers; see '
                        'docs/data.md)')
    p.add_argument('--streams', metavar='STREAMS_PKL',
                   help='also write every frame of every video as a stream with the MG '
                        'intervals (online recognition, docs/online.md), e.g. '
                        'data/imigue/imigue_streams.pkl (+ .streams.npy beside it)')
    p.add_argument('--streams-only', action='store_true',
                   help='write only --streams, not the clip pickle --out (an existing clip '
                        'pickle, e.g. the quickstart\'s, stays as it is)')
    p.add_argument('--stream-layout', default='imigue22',
                   help='joints kept in the streams (a layout of mmimigue.skeleton.layouts)')
    args = p.parse_args()
    if args.streams_only and not args.streams:
        p.error('--streams-only needs --streams STREAMS_PKL')
    return args


def main():
    args = parse_args()
    start = time.time()
    out = None if args.streams_only else args.out
    try:
        plan_conversion_outputs([args.ann, args.split_file, args.skeleton_root], out, args.streams)
        if out:
            content = convert_imigue(args.ann, args.skeleton_root, out, args.split_file,
                                     args.workers, tuple(args.img_shape), args.skip_corrupt,
                                     args.max_missing_ratio, storage=args.storage)
    except ConversionError as e:
        sys.exit(f'error: {e}')
    if out:
        elapsed = time.time() - start
        summary = content['summary']
        print(format_summary(summary))
        print(f'wrote {out} in {elapsed:.1f}s ({summary["frames"] / max(elapsed, 1e-9):.0f} '
              'clip frames/s: the frames inside MG clips)')
    if args.streams:
        from mmimigue.datasets.converters.streams import convert_imigue_streams
        start = time.time()
        try:
            streams = convert_imigue_streams(args.ann, args.skeleton_root, args.streams,
                                             args.stream_layout, tuple(args.img_shape),
                                             args.split_file, args.skip_corrupt)
        except ConversionError as e:
            sys.exit(f'error: {e}')
        info = streams['meta']['summary']
        counted = ', '.join(f'{k} {v}' for k, v in info.items()
                            if k not in ('streams', 'frames', 'segments') and v)
        print(f"streams: {info['streams']} videos, {info['frames']} frames, {info['segments']} "
              f'MG segments ({counted or "nothing skipped"}) -> {args.streams} in '
              f'{time.time() - start:.1f}s')


if __name__ == '__main__':
    main()
