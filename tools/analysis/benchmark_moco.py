"""MoCo training step time next to a supervised step of the same encoder at the same batch size.

For each backbone (2s-AGCN joint stream, MGBiGRU) the script builds, from the same backbone config,

* ``MGSkeletonMoCo`` (query forward + backward, momentum update, key forward, InfoNCE, enqueue) on a
  two-view batch ``(B, 2, 1, T, V, C)``, and
* mmaction2's ``RecognizerGCN`` + ``GCNHead`` (forward + backward, cross-entropy) on
  ``(B, 1, 1, T, V, C)``,

and times complete ``train_step`` calls (optimizer step included), interleaving the two models round
by round so that background load hits both alike. It prints the median step time of each, their
ratio (target <= 1.5; the extra key forward alone costs about 1.33x) and iterations/s.

Examples::

    python tools/analysis/benchmark_moco.py                        # paper sizes, CPU, batch 32
    python tools/analysis/benchmark_moco.py --preset small --iters 10
    python tools/analysis/benchmark_moco.py --device cuda --batch-size 128 [--amp]
"""
import argparse
import copy
import statistics
import time
import warnings
from typing import Callable, Dict, List

PRESETS = {
    # the configs' defaults (configs/imigue/dual_stream.py)
    'paper': dict(
        aagcn=dict(type='AAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'), in_channels=2,
                   num_person=1),
        bigru=dict(type='MGBiGRU', in_channels=2, num_joints=22, hidden_size=1024, num_layers=3)),
    # a quick CPU check
    'small': dict(
        aagcn=dict(type='AAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'), in_channels=2,
                   num_person=1, base_channels=16, num_stages=4, inflate_stages=[3],
                   down_stages=[3]),
        bigru=dict(type='MGBiGRU', in_channels=2, num_joints=22, hidden_size=64, num_layers=2)),
}
OUT_CHANNELS = dict(AAGCN=lambda b: b.get('base_channels', 64) * (
    2 ** len([s for s in b.get('inflate_stages', [5, 8]) if s <= b.get('num_stages', 10)])),
    MGBiGRU=lambda b: 2 * b['hidden_size'])


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--backbone', choices=['aagcn', 'bigru', 'both'], default='both')
    p.add_argument('--preset', choices=sorted(PRESETS), default='paper')
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--clip-len', type=int, default=64)
    p.add_argument('--iters', type=int, default=10, help='timed rounds (one step of each model)')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--device', default=None, help='default: cuda when available, else cpu')
    p.add_argument('--amp', action='store_true', help='autocast (AmpOptimWrapper) for both')
    p.add_argument('--threads', type=int, default=None, help='torch CPU threads')
    return p.parse_args()


def build_models(backbone: Dict, batch: int, device: str):
    from mmaction.registry import MODELS
    out = OUT_CHANNELS[backbone['type']](backbone)
    # the queue must be a multiple of the batch: the paper's 512 rounded up to one
    queue_len = max(batch, -(-512 // batch) * batch)
    moco = MODELS.build(dict(type='MGSkeletonMoCo', backbone=copy.deepcopy(backbone),
                             neck=dict(type='MGProjectionMLP', in_channels=out, out_channels=128),
                             queue_len=queue_len))
    sup = MODELS.build(dict(type='RecognizerGCN', backbone=copy.deepcopy(backbone),
                            cls_head=dict(type='GCNHead', num_classes=32, in_channels=out)))
    for m in (moco, sup):
        m.init_weights()
        m.to(device).train()
    return moco, sup


def make_step(model, views: int, batch: int, clip_len: int, device: str, amp: bool) -> Callable:
    import torch
    from mmaction.structures import ActionDataSample
    from mmengine.optim import AmpOptimWrapper, OptimWrapper
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    wrapper = AmpOptimWrapper(optimizer=opt) if amp else OptimWrapper(optimizer=opt)
    x = torch.randn(batch, views, 1, clip_len, 22, 2)  # x, y: the configs drop the score
    data = dict(inputs=list(x), data_samples=[ActionDataSample().set_gt_label(i % 32)
                                              for i in range(batch)])
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)

    def step() -> float:
        sync()
        start = time.perf_counter()
        model.train_step(data, wrapper)
        sync()
        return time.perf_counter() - start

    return step


def main():
    args = parse_args()
    import torch
    warnings.filterwarnings('ignore')
    if args.device is None:
        args.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    if args.threads:
        torch.set_num_threads(args.threads)
    from mmengine.logging import MMLogger

    import mmimigue.registration  # noqa: F401  (compat shims + registration)
    from mmimigue.registration import register_all_modules
    register_all_modules()
    MMLogger.get_instance('benchmark_moco', log_level='WARNING')  # quiet weight-init reports
    names = ['aagcn', 'bigru'] if args.backbone == 'both' else [args.backbone]
    dev = args.device
    desc = torch.cuda.get_device_name(0) if dev.startswith('cuda') else \
        f'CPU, {torch.get_num_threads()} thread(s)'
    print(f'device: {desc}; preset {args.preset}; batch {args.batch_size}; clip_len '
          f'{args.clip_len}; amp {args.amp}; {args.iters} timed rounds after {args.warmup} warm-up')
    print(f'{"backbone":<8} {"supervised s/step":>18} {"MoCo s/step":>12} {"ratio":>7} '
          f'{"sup it/s":>9} {"MoCo it/s":>10}')
    for name in names:
        backbone = PRESETS[args.preset][name]
        moco, sup = build_models(backbone, args.batch_size, dev)
        steps = dict(
            moco=make_step(moco, 2, args.batch_size, args.clip_len, dev, args.amp),
            sup=make_step(sup, 1, args.batch_size, args.clip_len, dev, args.amp))
        times: Dict[str, List[float]] = dict(moco=[], sup=[])
        for i in range(args.warmup + args.iters):
            for key in (('sup', 'moco') if i % 2 else ('moco', 'sup')):  # alternate the order
                t = steps[key]()
                if i >= args.warmup:
                    times[key].append(t)
        s, m = statistics.median(times['sup']), statistics.median(times['moco'])
        flag = 'ok' if m / s <= 1.5 else 'ABOVE TARGET'
        print(f'{name:<8} {s:>18.4f} {m:>12.4f} {m / s:>6.2f}x {1 / s:>9.2f} {1 / m:>10.2f}  '
              f'({flag}, target <= 1.5x)')
        del moco, sup, steps


if __name__ == '__main__':
    main()
