"""Train a model from a config (mmaction2's ``tools/train.py`` CLI, plus CPU-only distributed).

Examples:
    python tools/train.py configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py
    bash tools/dist_train.sh CONFIG 2            # torchrun; gloo on CPU, NCCL on GPUs
    python tools/train.py CONFIG --resume        # continue from the latest checkpoint
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction  # light: no torch (--help stays fast)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a micro-gesture model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or (no value) from the latest one in the work dir')
    parser.add_argument('--load-from', help='initialise from this checkpoint, or from the last '
                        'checkpoint of this work dir (e.g. stage 1 of a two-stage recipe)')
    parser.add_argument('--amp', action='store_true',
                        help='enable automatic mixed precision training')
    parser.add_argument('--no-validate', action='store_true',
                        help='do not evaluate checkpoints during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by the actual / base batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--diff-rank-seed', action='store_true',
                        help='set different seeds for different ranks')
    parser.add_argument('--deterministic', action='store_true',
                        help='deterministic options for the CUDNN backend')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value pairs (e.g. train_cfg.max_epochs=5)')
    parser.add_argument('--unsafe-load', action='store_true',
                        help='load checkpoints you made yourself with the unpickler that can run '
                        'code, when the safe loader refuses them (never used for URLs)')
    parser.add_argument('--allow-code', action='store_true',
                        help='let --cfg-options name a type by a dotted import path (it is '
                        'imported and run: only for code you wrote)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args) -> Config:
    """Merge command line arguments into the config (``--cfg-options`` first, so that it can
    be combined with ``--no-validate``)."""
    from mmimigue.apis.config_options import check_cfg_options
    if args.cfg_options is not None:
        try:
            check_cfg_options(cfg, args.cfg_options, args.allow_code)
        except KeyError as e:
            raise SystemExit(f'{osp.basename(__file__)}: {e.args[0]}') from None
        cfg.merge_from_dict(args.cfg_options)
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(f'--amp does not support the optimizer wrapper {wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = resume_from(cfg.work_dir)
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if getattr(args, 'load_from', None):
        cfg.load_from = args.load_from
    if not cfg.get('resume') and cfg.get('load_from') and osp.isdir(cfg.load_from):
        cfg.load_from = last_checkpoint_of(cfg.load_from)
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness', None) is None:
        cfg.randomness = dict(seed=args.seed, diff_rank_seed=args.diff_rank_seed,
                              deterministic=args.deterministic)
    return cfg


def last_checkpoint_of(work_dir: str) -> str:
    """``load_from`` naming a work dir: its newest readable checkpoint, or a clear stop."""
    from mmimigue.engine.checkpoint_loading import last_checkpoint
    try:
        path = last_checkpoint(work_dir)
    except FileNotFoundError as e:
        raise SystemExit(f'tools/train.py: {e}') from None
    print(f'tools/train.py: initialising from {path}, the last checkpoint of {work_dir}',
          flush=True)
    return path


def resume_from(work_dir: str):
    """The newest checkpoint of ``work_dir`` that loads; newer, cut ones are skipped and named
    (None: nothing to resume, training starts from the beginning)."""
    from mmimigue.engine.checkpoint_loading import newest_readable_checkpoint
    path, skipped = newest_readable_checkpoint(work_dir)
    for bad, reason in skipped:
        print(f'tools/train.py: not resuming from {bad}: {reason}', flush=True)
    if skipped and path is None:
        raise SystemExit(f'tools/train.py: no readable checkpoint in {work_dir} to resume from '
                         f'({len(skipped)} unreadable); start afresh without --resume')
    if skipped:
        print(f'tools/train.py: resuming from {path}, the newest readable checkpoint',
              flush=True)
    return path


def main():
    args = parse_args()
    import mmimigue.registration  # noqa: F401  (compat shims + registration first)
    from mmimigue.engine.checkpoint_loading import UNSAFE_LOAD_ENV
    if args.unsafe_load:
        os.environ[UNSAFE_LOAD_ENV] = '1'
    from mmaction.registry import RUNNERS
    from mmengine.runner import Runner

    from mmimigue.distributed import close_distributed, setup_distributed
    cfg = merge_args(Config.fromfile(args.config), args)
    if args.launcher == 'none':
        from mmimigue.engine.threads import fit_threads
        fit_threads('train')
    cfg = setup_distributed(cfg)
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    runner.train()
    close_distributed()


if __name__ == '__main__':
    main()
