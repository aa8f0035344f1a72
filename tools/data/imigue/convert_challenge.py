"""Convert the iMiGUE challenge packages (CSV or packed arrays) to the shared pickle schema.

The result loads with MGIMiGUESkeletonDataset exactly like a conversion of the official release;
fields a package cannot provide are -1 unless --ann gives the release labels.csv (see
docs/data.md).

Examples::

    # per-video CSVs: one package folder per split
    python tools/data/imigue/convert_challenge.py csv \
        --root xsub_train=data/imigue/imigue_skeleton_train \
        --root xsub_test=data/imigue/imigue_skeleton_test --out data/imigue/imigue_skeleton.pkl

    # packed (N, 3, T, 22, 1) arrays + (names, labels) pickles
    python tools/data/imigue/convert_challenge.py packed \
        --part xsub_train train_data.npy train_label.pkl \
        --part xsub_test test_data.npy test_label.pkl --out data/imigue/imigue_packed.pkl
"""
import argparse
import sys
import time

from mmimigue.datasets.converters.imigue_challenge_csv import convert_challenge_csv
from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.converters.imigue_packed import convert_packed, format_challenge_summary


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='format', required=True)
    csv_p = sub.add_parser('csv', help='<vid>/<vid>_light_hand.csv + <vid>_label.csv folders')
    csv_p.add_argument('--root', action='append', required=True, metavar='SPLIT=FOLDER',
                       help='a package folder and the split it forms (repeat per split)')
    csv_p.add_argument('--strict', action='store_true',
                       help='fail on clips outside their skeleton file instead of counting them')
    packed_p = sub.add_parser('packed', help='(N, 3, T, 22, M) npy + (names, labels) pickle')
    packed_p.add_argument('--part', action='append', nargs=3, required=True,
                          metavar=('SPLIT', 'DATA_NPY', 'LABEL_PKL'),
                          help='one split of the package (repeat per split)')
    for q in (csv_p, packed_p):
        q.add_argument('--out', default='data/imigue/imigue_skeleton.pkl', help='output pickle')
        q.add_argument('--ann', help='release labels.csv: fills subject_id, emotion, timings '
                       'and official clip ids')
        q.add_argument('--split-file', help='split JSON (its emotion video lists are used)')
        q.add_argument('--img-shape', type=int, nargs=2, default=(720, 1280),
                       metavar=('H', 'W'))
        q.add_argument('--storage', choices=('inline', 'mmap'), default='inline',
                       help='inline keypoints, or one shared memory-mapped .keypoints.npy')
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    start = time.time()
    try:
        if args.format == 'csv':
            roots = {}
            for item in args.root:
                split, _, folder = item.partition('=')
                if not folder:
                    sys.exit(f'error: --root {item!r}: write SPLIT=FOLDER, e.g. '
                             'xsub_train=imigue_skeleton_train')
                roots[split] = folder
            content = convert_challenge_csv(roots, args.out, args.ann, args.split_file,
                                            tuple(args.img_shape), args.strict, args.storage)
        else:
            parts = {split: (data, labels) for split, data, labels in args.part}
            content = convert_packed(parts, args.out, args.ann, args.split_file,
                                     tuple(args.img_shape), args.storage)
    except ConversionError as e:
        sys.exit(f'error: {e}')
    elapsed = time.time() - start
    print(format_challenge_summary(content['summary']))
    if content['meta']['unavailable_fields']:
        print('not in this format (stored as -1): ' +
              ', '.join(content['meta']['unavailable_fields']) +
              '; pass --ann labels.csv to fill them and to check that each label file belongs '
              'to its video')
    print(f"wrote {args.out} in {elapsed:.1f}s "
          f"({content['summary']['frames'] / max(elapsed, 1e-9):.0f} frames/s)")
    return 0


if __name__ == '__main__':
    sys.exit(main())
