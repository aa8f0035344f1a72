"""Check every byte of converted pickles' memory-mapped stores (clip keypoints or streams).

Opening a store checks its size, shape and a sampled fingerprint only (cheap, on every run);
this reads each store once and compares it with the checksum written at conversion time, e.g.
after copying a dataset to another disk or machine. Pickles are read without running code::

    python tools/data/verify_store.py data/imigue/imigue_skeleton.pkl [more.pkl ...]
"""
import argparse
import sys
import time



def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ann_files', nargs='+', help='converted pickles (--storage mmap)')
    args = parser.parse_args(argv)
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.keypoint_store import verify_store
    for ann_file in args.ann_files:
        start = time.time()
        try:
            info = verify_store(ann_file)
        except (ValueError, FileNotFoundError, ConversionError) as e:
            sys.exit(f'error: {e}')
        if info['kind'] == 'inline':
            print(f'{ann_file}: keypoints inline (no store to check)')
        else:
            print(f"{ann_file}: {info['kind']} store OK ({info['bytes'] / 2**20:.1f} MiB checked "
                  f'in {time.time() - start:.1f}s)')


if __name__ == '__main__':
    main()
