"""Statistics of a converted iMiGUE pickle: the long tail, clip lengths, subjects, win / lose.

Prints a table and writes a PNG figure.

Example:
    python tools/analysis/dataset_stats.py data/imigue/imigue_skeleton.pkl --out stats.png
"""
import argparse
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('ann_file', help='converted pickle (tools/data/imigue/convert.py)')
    p.add_argument('--out', default='imigue_stats.png', help='PNG figure')
    args = p.parse_args()
    from mmimigue.datasets.dataset_stats import compute_stats, format_stats, load_clip_metadata
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.fileio import OutputPlan
    from mmimigue.protocol import imigue_class_names
    from mmimigue.visualization.dataset_stats import plot_stats
    OutputPlan(inputs=[args.ann_file]).add(args.out)
    try:
        annos, split = load_clip_metadata(args.ann_file)
    except (ValueError, FileNotFoundError, ConversionError) as e:
        sys.exit(f'dataset_stats: {e}')
    names = imigue_class_names()
    stats = compute_stats(annos, split)
    print(format_stats(stats, names))
    plot_stats(stats, names, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
