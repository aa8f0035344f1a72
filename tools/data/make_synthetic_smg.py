"""Write a small synthetic SMG release (Kinect CSV layout) for tests and the demo.

Example::

    python tools/data/make_synthetic_smg.py data/smg/synthetic --seed 0
    python tools/data/smg/convert.py --root data/smg/synthetic --out data/smg/smg_skeleton.pkl
"""
import argparse
import sys

from mmimigue.datasets.synthetic.smg import make_synthetic_smg


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='output folder (SampleXXXX/ folders go inside)')
    parser.add_argument('--num-subjects', type=int, default=40)
    parser.add_argument('--clips-per-subject', type=int, default=12)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    info = make_synthetic_smg(args.out_dir, num_subjects=args.num_subjects,
                              clips_per_subject=args.clips_per_subject, seed=args.seed)
    print(f"wrote {len(info['subjects'])} subjects, {info['clips']} clips, "
          f"{info['frames']} frames to {args.out_dir}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
