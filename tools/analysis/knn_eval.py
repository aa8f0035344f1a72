"""KNN accuracy of a trained model's frozen features (train-split bank, test-split queries).

Uses the ``MGKNNEvalHook`` entry of the config's ``custom_hooks`` (its dataloaders, ``k`` and
distance; command-line flags override them), so any config with that hook works: the dual-stream MoCo
pretraining configs, the linear-evaluation configs, or another model whose
``forward(..., mode='tensor')`` returns ``(N, D)`` features or a dict of them.

Examples::

    python tools/analysis/knn_eval.py configs/imigue/dual_stream.py work_dirs/dual_stream/last.pth
    python tools/analysis/knn_eval.py configs/imigue/dual_stream.py CKPT --k 1 20 --distance euclidean
    python tools/analysis/knn_eval.py configs/imigue/dual_stream.py none   # random initialisation
"""
import argparse
import os.path as osp
import warnings

from mmengine.config import Config, DictAction


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint', help="checkpoint to load, or 'none' for the initial weights")
    p.add_argument('--k', type=int, nargs='+', default=None)
    p.add_argument('--distance', choices=['cosine', 'euclidean'], default=None)
    p.add_argument('--weighting', choices=['uniform', 'softmax'], default=None)
    p.add_argument('--work-dir', default=None)
    p.add_argument('--cfg-options', nargs='+', action=DictAction, default=None)
    return p.parse_args()


def main():
    args = parse_args()
    warnings.filterwarnings('ignore')
    from mmaction.registry import HOOKS
    from mmengine.runner import Runner

    import mmimigue.registration  # noqa: F401  (compat shims + registration)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    from mmimigue.evaluation.knn_hook import KNN_HOOK_NAMES
    hooks = [h for h in cfg.get('custom_hooks', []) if h.get('type') in KNN_HOOK_NAMES]
    if not hooks:
        raise SystemExit(f'{args.config} has no MGKNNEvalHook in custom_hooks: add one (see '
                         'docs/dual_stream.md, "KNN evaluation") with bank_dataloader / '
                         'query_dataloader')
    hook_cfg = dict(hooks[0])
    for key in ('k', 'distance', 'weighting'):
        if getattr(args, key) is not None:
            hook_cfg[key] = getattr(args, key)
    cfg.custom_hooks = []
    cfg.work_dir = args.work_dir or osp.join(
        'work_dirs', 'knn_eval', osp.splitext(osp.basename(args.config))[0])
    cfg.launcher = 'none'
    runner = Runner.from_cfg(cfg)
    model = runner.model
    model.init_weights()
    if args.checkpoint.lower() != 'none':
        runner.load_checkpoint(args.checkpoint, strict=True)
    hook = HOOKS.build(hook_cfg)
    metrics = hook.evaluate(runner, tag='knn_eval', epoch=0)
    for key, value in metrics.items():
        print(f'{key}: {100 * value:.2f}')


if __name__ == '__main__':
    main()
