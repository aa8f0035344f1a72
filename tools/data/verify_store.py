"""Check every byte of converted pickles' memory-mapped keypoint stores.

Opening a store checks its size, shape and a sampled fingerprint only (cheap, on every run);
this reads each store once and compares it with the checksum written at conversion time, e.g.
after copying a dataset to another disk or machine::

    python tools/data/verify_store.py data/imigue/imigue_skeleton.pkl [more.pkl ...]
"""
import argparse
import sys
import time

from mmimigue.datasets.keypoint_store import verify_store


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ann_files', nargs='+', help='converted pickles (--storage mmap)')
    args = parser.parse_args(argv)
    for ann_file in args.ann_files:
        start = time.time()
        try:
            info = verify_store(ann_file)
        except (ValueError, FileNotFoundError) as e:
            sys.exit(f'error: {e}')
        if not info:
            print(f'{ann_file}: keypoints inline (no store to check)')
        else:
            print(f"{ann_file}: store OK ({info['bytes'] / 2**20:.1f} MiB checked in "
                  f'{time.time() - start:.1f}s)')


if __name__ == '__main__':
    main()
