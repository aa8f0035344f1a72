"""Convert the SMG skeleton release (Kinect CSVs) into an mmaction2 PoseDataset pickle.

Example::

    python tools/data/smg/convert.py --root /path/to/SMG/skeleton --out data/smg/smg_skeleton.pkl
    # a custom subject split, class names from a text file (one name per line, label order)
    python tools/data/smg/convert.py --root ROOT --out OUT --split-file split.json \
        --class-names classes.txt
"""
import argparse
import sys

from mmimigue.datasets.converters.smg_kinect import (SMGFormatError, convert_smg,
                                                     format_smg_summary)
from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.stream_store import plan_conversion_outputs
from mmimigue.protocol import smg_protocol


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', required=True,
                        help='folder holding the SampleXXXX/ sub-folders of the SMG release')
    parser.add_argument('--out', default='data/smg/smg_skeleton.pkl', help='output pickle')
    parser.add_argument('--test-subjects', type=int, nargs='+',
                        default=smg_protocol()['test_subjects'],
                        help='test subject ids (default: 36 37 38 39 40)')
    parser.add_argument('--split-file', help='JSON {"train_subjects": [...], "test_subjects": '
                        '[...]}; overrides --test-subjects')
    parser.add_argument('--class-names', help='text file with one class name per line in '
                        'label order (label = finelabel - 1); default: smg.json')
    parser.add_argument('--stress-names', nargs=2, default=['relaxed', 'stressed'],
                        metavar=('NAME0', 'NAME1'), help='names of stress 0 and 1')
    parser.add_argument('--frame-base', type=int, choices=(0, 1), default=1,
                        help='1: label frames are 1-based (default); 0: 0-based row indices')
    parser.add_argument('--strict', action='store_true',
                        help='fail on clips past the skeleton end instead of skipping them')
    parser.add_argument('--storage', choices=('inline', 'mmap'), default='inline',
                        help='inline: keypoints inside the pickle (mmaction2 PoseDataset '
                        'schema); mmap: one shared memory-mapped <out stem>.keypoints.npy')
    parser.add_argument('--streams', metavar='STREAMS_PKL',
                        help='also write every sample as a whole stream with its MG intervals '
                        '(online recognition, docs/online.md), e.g. data/smg/smg_streams.pkl')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    class_names = None
    if args.class_names:
        with open(args.class_names) as f:
            class_names = [ln.strip() for ln in f if ln.strip()]
    try:
        plan_conversion_outputs([args.root, args.split_file, args.class_names], args.out, args.streams)
        content = convert_smg(args.root, args.out, test_subjects=args.test_subjects,
                              split_file=args.split_file, class_names=class_names,
                              stress_names=args.stress_names, frame_base=args.frame_base,
                              strict=args.strict, storage=args.storage)
    except (SMGFormatError, ConversionError, FileNotFoundError) as e:
        sys.exit(f'error: {e}')
    print(format_smg_summary(content))
    print(f'wrote {args.out}')
    if args.streams:
        from mmimigue.datasets.converters.streams import convert_smg_streams
        try:
            info = convert_smg_streams(args.root, args.streams, args.frame_base,
                                       args.test_subjects, args.split_file)['meta']['summary']
        except (SMGFormatError, ConversionError) as e:
            sys.exit(f'error: {e}')
        print(f"streams: {info['streams']} samples, {info['frames']} frames, "
              f"{info['segments']} MG segments -> {args.streams}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
