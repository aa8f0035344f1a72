"""Write a synthetic iMiGUE release (labels.csv + per-frame OpenPose JSON).

Example:
    python tools/data/make_synthetic_imigue.py data/imigue/synthetic --seed 0
"""
import argparse
import time

from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue


def parse_args():
    cfg = SyntheticConfig()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('out_dir', help='output folder (labels.csv and skeleton/ are written here)')
    p.add_argument('--seed', type=int, default=cfg.seed)
    p.add_argument('--train-subjects', type=int, default=cfg.num_train_subjects)
    p.add_argument('--test-subjects', type=int, default=cfg.num_test_subjects)
    p.add_argument('--videos-per-subject', type=int, default=cfg.videos_per_subject)
    p.add_argument('--clips-per-video', type=int, nargs=2, default=cfg.clips_per_video,
                   metavar=('MIN', 'MAX'))
    p.add_argument('--workers', type=int, default=2, help='parallel writer processes')
    return p.parse_args()


def main():
    args = parse_args()
    cfg = SyntheticConfig(num_train_subjects=args.train_subjects,
                          num_test_subjects=args.test_subjects,
                          videos_per_subject=args.videos_per_subject,
                          clips_per_video=tuple(args.clips_per_video), seed=args.seed)
    start = time.time()
    info = generate_synthetic_imigue(args.out_dir, cfg, workers=args.workers)
    print(f"synthetic iMiGUE: {info['subjects']} subjects, {info['videos']} videos, "
          f"{info['clips']} clips, {info['frames']} frames in {time.time() - start:.1f}s")
    print(f"  annotations: {info['ann_file']}\n  skeletons:   {info['skeleton_root']}")


if __name__ == '__main__':
    main()
