"""Draw a skeleton clip before and after each MG augmentation as a PNG grid.

Rows: the original clip, then one row per augmentation (its drawn parameters in the row label).
Columns: evenly spaced frames (skeleton drawn with the layout's edges, the original in grey behind
the augmented one), and a last column with the wrists' vertical position over time, where the
temporal augmentations (repeat / reverse / posterize) are visible.

Examples::

    # a generated 22-joint upper-body clip (a hand touching the chin and returning)
    python tools/analysis/visualize_augmentations.py --out /tmp/mg_augmentations.png
    # a converted clip (PoseDataset pickle, e.g. data/imigue/imigue_skeleton.pkl)
    python tools/analysis/visualize_augmentations.py --ann-file data/imigue/imigue_skeleton.pkl \
        --index 12 --out /tmp/clip12.png

Coordinates are shown after ``PreNormalize2D`` (the space the augmentations act in within the
recommended pipeline), drawn with the image's aspect ratio, image y pointing down.
"""
import argparse
import sys


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ann-file', help='PoseDataset pickle; omit to use a generated clip')
    parser.add_argument('--index', type=int, default=0, help='annotation index in --ann-file')
    parser.add_argument('--layout', default='imigue22',
                        help='skeleton layout (mmimigue.skeleton.layouts)')
    parser.add_argument('--center', type=int, default=1, help='pivot joint for view/stretch')
    parser.add_argument('--frames', type=int, default=6, help='number of frame columns')
    parser.add_argument('--num-frames', type=int, default=48, help='length of the generated clip')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--dpi', type=int, default=80)
    parser.add_argument('--out', default='/tmp/mg_augmentations.png')
    args = parser.parse_args(argv)
    from mmimigue.visualization.augmentations import default_augmentations, load_clip, make_demo_clip, render
    if args.ann_file:
        try:
            clip = load_clip(args.ann_file, args.index, args.layout)
        except (ValueError, FileNotFoundError) as e:
            sys.exit(f'visualize_augmentations: {e}')
    else:
        if args.layout != 'imigue22':
            sys.exit('the generated clip uses layout imigue22; pass --ann-file for other layouts')
        clip = make_demo_clip(args.num_frames, args.seed)
    out, size = render(clip, default_augmentations(args.center), args.layout, args.out,
                       args.frames, args.seed, args.dpi)
    print(f'wrote {out} ({size / 1024:.0f} KiB)')


if __name__ == '__main__':
    main()
