"""Test a checkpoint (mmaction2's ``tools/test.py`` CLI, plus CPU-only distributed).

Examples:
    python tools/test.py work_dirs/x              # the config saved there + its best checkpoint
    python tools/test.py CONFIG work_dirs/x/best_acc_top1_epoch_7.pth
    python tools/test.py CONFIG CKPT --dump results.pkl   # predictions for tools/analysis/
    bash tools/dist_test.sh CONFIG CKPT 2
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction  # light: no torch (--help stays fast)


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a micro-gesture model')
    parser.add_argument('config', help='test config file, or a training work dir (its saved '
                        'config, i.e. the settings it was trained with)')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file (default with a work dir: '
                        'its best checkpoint)')
    parser.add_argument('--work-dir', help='the directory to save the evaluation metrics')
    parser.add_argument('--dump', type=str,
                        help='write each clip\'s id, scores and label to a pickle (input of '
                        'tools/analysis/fuse_scores.py and confusion.py)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value pairs')
    parser.add_argument('--non-strict', action='store_true',
                        help='test even when the checkpoint does not match the model (missing, '
                        'unexpected or differently shaped weights are then left as initialised)')
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
    """Merge command line arguments into the config."""
    from mmimigue.apis.config_options import check_cfg_options
    from mmimigue.evaluation.score_dump import add_meta_key
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump must be a .pkl or .pickle file, got {args.dump}')
        check_dump_path(cfg, args)
        # clip ids + scores as plain data, for tools/analysis/fuse_scores.py and confusion.py
        dump_metric = dict(type='MGScoreDump', out_file_path=args.dump)
        add_meta_key(cfg.test_dataloader.dataset.get('pipeline'), 'frame_dir')
        if isinstance(cfg.test_evaluator, (list, tuple)):
            cfg.test_evaluator = [*cfg.test_evaluator, dump_metric]
        else:
            cfg.test_evaluator = [cfg.test_evaluator, dump_metric]
    cfg.load_from = args.checkpoint
    if args.cfg_options is not None:
        try:
            check_cfg_options(cfg, args.cfg_options, args.allow_code)
        except KeyError as e:
            raise SystemExit(f'{osp.basename(__file__)}: {e.args[0]}') from None
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def check_dump_path(cfg: Config, args) -> None:
    """--dump may not replace the config, the checkpoint or the data it tests (nor their
    keypoint store); checked before the model is built."""
    from mmimigue.datasets.keypoint_store import store_file_for
    from mmimigue.fileio import OutputError, OutputPlan
    ds = cfg.test_dataloader.dataset
    while 'ann_file' not in ds and 'dataset' in ds:  # RepeatDataset and other wrappers
        ds = ds['dataset']
    ann = ds.get('ann_file')
    inputs = [args.config, args.checkpoint, ann, ann and store_file_for(ann)]
    try:
        OutputPlan(inputs).add(args.dump, '--dump')
    except OutputError as e:
        raise SystemExit(f'tools/test.py: {e}') from None


def keep_training_config(cfg: Config) -> None:
    """mmengine's Runner saves the config it runs with into ``work_dir`` under the config's file
    name. Testing into a training work dir (with --cfg-options, say) would overwrite the config
    it was trained with, which ``tools/test.py WORK_DIR`` and the demo read later; the test's
    outputs then go to ``WORK_DIR/test/`` instead."""
    target = osp.join(cfg.work_dir, osp.basename(cfg.filename))
    if osp.isfile(target):
        cfg.work_dir = osp.join(cfg.work_dir, 'test')
        print(f'tools/test.py: {target} is a training config; this test run writes to '
              f'{cfg.work_dir}/')


def load_strict(runner, checkpoint: str, config: str) -> None:
    """Load every weight or stop: a config that differs from the training one (a narrower
    backbone trained with --cfg-options, say) would otherwise test a half-random model."""
    from mmimigue.apis.model_loading import checkpoint_mismatch_message
    try:
        runner.load_checkpoint(checkpoint, map_location='cpu', strict=True)
    except RuntimeError as e:
        raise SystemExit('tools/test.py: ' + checkpoint_mismatch_message(checkpoint, config, e) +
                         ' --non-strict tests anyway.') from None


def main():
    args = parse_args()
    import mmimigue.registration  # noqa: F401  (compat shims + registration first)
    from mmimigue.engine.checkpoint_loading import UNSAFE_LOAD_ENV
    if args.unsafe_load:
        os.environ[UNSAFE_LOAD_ENV] = '1'
    from mmaction.registry import RUNNERS
    from mmengine.runner import Runner

    from mmimigue.apis.model_loading import check_checkpoint_exists, resolve_work_dir
    from mmimigue.distributed import close_distributed, setup_distributed
    given = args.config
    try:
        args.config, args.checkpoint = resolve_work_dir(args.config, args.checkpoint)
        check_checkpoint_exists(args.checkpoint)
    except FileNotFoundError as e:
        raise SystemExit(f'tools/test.py: {e}') from None
    if given != args.config:  # a config is Python code: say which file runs
        print(f'tools/test.py: executing the config saved in {given}: {args.config} '
              f'(checkpoint {args.checkpoint})', flush=True)
    cfg = merge_args(Config.fromfile(args.config), args)
    keep_training_config(cfg)
    if args.launcher == 'none':
        from mmimigue.engine.threads import fit_threads
        fit_threads('test')
    cfg = setup_distributed(cfg)
    if not args.non_strict:
        cfg.load_from = None  # loaded below, strictly
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    if not args.non_strict:
        load_strict(runner, args.checkpoint, args.config)
    runner.test()
    close_distributed()


if __name__ == '__main__':
    main()
