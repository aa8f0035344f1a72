"""Merge an RGB-only and a pose-only checkpoint into RGBPoseConv3D's initialisation.

mmaction2's RGBPoseConv3D recipe (its ``rgbpose_conv3d/README.md``): 1. train an RGB-only and a
pose-only SlowOnly on the target data, 2. merge them into one checkpoint, 3. fine-tune
RGBPoseConv3D from it. This is step 2 (:func:`mmimigue.apis.merge_rgbpose_init`): each model's
backbone becomes its pathway and its classifier the pathway's classifier; the lateral
connections start at zero, so each pathway begins with exactly its single model's features.

Example (iMiGUE; the RGBPoseConv3D config's ``load_from`` is the default ``--out``)::

    python tools/model_converters/merge_rgbpose_init.py \\
        configs/imigue/posec3d/rgbpose_conv3d_1xb6-r8p32-20e_imigue-xsub.py \\
        work_dirs/rgbpose-rgb_slowonly-r50_1xb12-r8-18e_imigue-xsub-rgb/best_acc_top1_epoch_18.pth \\
        work_dirs/rgbpose-pose_slowonly-r50_1xb16-p32-18e_imigue-xsub-keypoint/best_acc_top1_epoch_18.pth \\
        --out work_dirs/rgbpose_conv3d_init_imigue.pth
"""
import argparse
import io
import os.path as osp
import sys


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='the RGBPoseConv3D config the checkpoint initialises')
    p.add_argument('rgb_checkpoint', help='checkpoint of the RGB-only config')
    p.add_argument('pose_checkpoint', help='checkpoint of the pose-only config')
    p.add_argument('--out', default='work_dirs/rgbpose_conv3d_init_imigue.pth',
                   help='merged checkpoint (default: the path the iMiGUE config loads)')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmimigue.fileio import OutputError, OutputPlan, atomic_write
    try:
        OutputPlan([args.config, args.rgb_checkpoint, args.pose_checkpoint]).add(args.out,
                                                                                   '--out')
    except OutputError as e:
        sys.exit(f'merge_rgbpose_init: {e}')
    for path in (args.config, args.rgb_checkpoint, args.pose_checkpoint):
        if not osp.isfile(path):
            sys.exit(f'merge_rgbpose_init: {path} does not exist')
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmimigue.apis import merge_rgbpose_init
    from mmimigue.engine.checkpoint_loading import safe_torch_load
    from mmimigue.registration import register_all_modules
    register_all_modules()
    init_default_scope('mmaction')
    cfg = Config.fromfile(args.config)
    if cfg.model.get('backbone', {}).get('type') != 'RGBPoseConv3D':
        sys.exit(f'merge_rgbpose_init: {args.config} is not an RGBPoseConv3D config '
                 f'(backbone {cfg.model.get("backbone", {}).get("type")!r})')
    model = MODELS.build(cfg.model)
    model.init_weights()  # the lateral connections keep this initialisation
    states = []
    for path in (args.rgb_checkpoint, args.pose_checkpoint):
        ckpt = safe_torch_load(path, map_location='cpu')
        states.append(ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt)
    try:
        merged, report = merge_rgbpose_init(states[0], states[1], model.state_dict())
    except ValueError as e:
        sys.exit(f'merge_rgbpose_init: {e}')
    model.load_state_dict(merged, strict=True)  # every key, every shape
    buf = io.BytesIO()
    torch.save(dict(state_dict=merged, meta=dict(
        merged_from=dict(rgb=osp.abspath(args.rgb_checkpoint),
                         pose=osp.abspath(args.pose_checkpoint)),
        config=osp.abspath(args.config))), buf)
    atomic_write(args.out, buf.getvalue())
    print(f"[merge_rgbpose_init] copied {len(report['copied'])} tensors, "
          f"{len(report['zero_extended'])} with zero lateral input channels, "
          f"{len(report['kept'])} new (lateral connections) at their initialisation, "
          f"{len(report['unused'])} unused -> {args.out}")
    for key in report['unused'][:10]:
        print(f'  unused: {key}')
    return report


if __name__ == '__main__':
    main()
