"""Write a synthetic iMiGUE release (labels.csv + per-frame OpenPose JSON).

Two independent generators write the same layout:
  imigue     (default) 2D upper body in body units, 30 subjects, ~740 clips
  interview  3D speaker seen by a perspective camera (yaw, distance, body proportions, personal
             gesture style, idle motion, OpenPose-like misses), 16 subjects (8 held out), ~640
             clips; test subjects are filmed from wider angles than the training subjects

Examples:
    python tools/data/make_synthetic_imigue.py data/imigue/synthetic --seed 0
    python tools/data/make_synthetic_imigue.py data/imigue/interview --generator interview
"""
import argparse
import dataclasses
import time

from mmimigue.datasets.synthetic import (InterviewConfig, SyntheticConfig,
                                         generate_interview_imigue, generate_synthetic_imigue)

GENERATORS = {'imigue': (SyntheticConfig, generate_synthetic_imigue),
              'interview': (InterviewConfig, generate_interview_imigue)}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('out_dir', help='output folder (labels.csv and skeleton/ are written here)')
    p.add_argument('--generator', choices=sorted(GENERATORS), default='imigue')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--train-subjects', type=int, help='default: the generator\'s own')
    p.add_argument('--test-subjects', type=int, help='default: the generator\'s own')
    p.add_argument('--videos-per-subject', type=int, help='default: the generator\'s own')
    p.add_argument('--clips-per-video', type=int, nargs=2, metavar=('MIN', 'MAX'),
                   help='default: the generator\'s own')
    p.add_argument('--gap-frames', type=int, nargs=2, metavar=('MIN', 'MAX'),
                   help='frames between two MGs (default: the generator\'s own, 4 14); e.g. '
                   '100 500 for whole interview streams with sparse MGs (online recognition)')
    p.add_argument('--gap-motion', action='store_true',
                   help='talking beat gestures between MGs instead of idle rest (imigue '
                   'generator; the non-MG motion an online recogniser must not report)')
    p.add_argument('--workers', type=int, default=2, help='parallel writer processes')
    return p.parse_args()


def main():
    args = parse_args()
    config_cls, generate = GENERATORS[args.generator]
    given = dict(num_train_subjects=args.train_subjects, num_test_subjects=args.test_subjects,
                 videos_per_subject=args.videos_per_subject, seed=args.seed,
                 clips_per_video=tuple(args.clips_per_video) if args.clips_per_video else None,
                 gap_frames=tuple(args.gap_frames) if args.gap_frames else None,
                 gap_motion=True if args.gap_motion else None)
    cfg = dataclasses.replace(config_cls(), **{k: v for k, v in given.items() if v is not None})
    start = time.time()
    info = generate(args.out_dir, cfg, workers=args.workers)
    print(f"synthetic iMiGUE ({args.generator}): {info['subjects']} subjects, "
          f"{info['videos']} videos, {info['clips']} clips, {info['frames']} frames in "
          f"{time.time() - start:.1f}s")
    print(f"  annotations: {info['ann_file']}\n  skeletons:   {info['skeleton_root']}")


if __name__ == '__main__':
    main()
