"""Throughput of the two-view MG training pipeline next to mmaction2's stock GCN pipeline.

All pipelines run on the same clips in the same process, interleaved round by round (so load from
other processes hits them alike); the script prints samples/s of each and its ratio to stock, by
wall time and by this process' CPU time (the fairer measure on a shared, loaded machine, where
other processes pre-empt this one), each from the median round. Target:
each augmented view costs no more than one stock sample, i.e. ratio >= 0.5 for two views.

* stock: ``PreNormalize2D, GenSkeFeat(j), UniformSampleFrames, PoseDecode, FormatGCNInput,
  PackActionInputs`` (mmaction2's ST-GCN training pipeline);
* MG, shared sampling (recommended): ``PreNormalize2D, UniformSampleFrames, PoseDecode,
  MGMultiView([MGCoordinatePerturb, MGStretch, MGPosterizeTime, GenSkeFeat(j), FormatGCNInput],
  num_views=2), PackActionInputs`` (the paper's best combination, sec. 5.1.3; ``--recipe all``:
  MGRandomChoice(k=2) over all six instead);
* MG, per-view sampling: ``UniformSampleFrames, PoseDecode`` inside the wrapper, i.e. each view
  also draws its own frames. mmaction2's ``UniformSampleFrames`` loops over every frame of the
  clip in Python and dominates the stock pipeline's cost, so this variant cannot reach 0.5: it is
  printed for comparison.

Examples::

    python tools/analysis/benchmark_pipeline.py                       # generated clips
    python tools/analysis/benchmark_pipeline.py --ann-file data/imigue/imigue_skeleton.pkl
"""
import argparse
import copy
import os
import statistics
import time
from typing import Callable, Dict, List, Tuple

for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ.setdefault(_var, '1')  # one thread: CPU time == the work of one data worker

import numpy as np  # noqa: E402

BEST = [dict(type='MGCoordinatePerturb'), dict(type='MGStretch'), dict(type='MGPosterizeTime')]
ALL_SIX = [dict(type='MGRandomChoice', k=2,
                transforms=[dict(type='MGCoordinatePerturb'), dict(type='MGViewPerturb'),
                            dict(type='MGStretch'), dict(type='MGRepeatClip'),
                            dict(type='MGReverseClip'), dict(type='MGPosterizeTime')])]


STOCK = 'stock (1 view)'
SHARED = 'MG 2 views, shared sampling'
PER_VIEW = 'MG 2 views, per-view sampling'


def stock_pipeline(clip_len: int) -> List[dict]:
    return [dict(type='PreNormalize2D'), dict(type='GenSkeFeat', dataset='coco', feats=['j']),
            dict(type='UniformSampleFrames', clip_len=clip_len), dict(type='PoseDecode'),
            dict(type='FormatGCNInput', num_person=1), dict(type='PackActionInputs')]


def mg_pipeline(clip_len: int, recipe: List[dict], shared_sampling: bool = True,
                num_views: int = 2) -> List[dict]:
    """The two-view MG pipeline; frames sampled once for both views or once per view."""
    sample = [dict(type='UniformSampleFrames', clip_len=clip_len), dict(type='PoseDecode')]
    view = (copy.deepcopy(recipe) + [dict(type='GenSkeFeat', dataset='coco', feats=['j']),
                                     dict(type='FormatGCNInput', num_person=1)])
    if shared_sampling:
        return ([dict(type='PreNormalize2D')] + sample +
                [dict(type='MGMultiView', transforms=view, num_views=num_views),
                 dict(type='PackActionInputs')])
    return [dict(type='PreNormalize2D'),
            dict(type='MGMultiView', transforms=sample + view, num_views=num_views),
            dict(type='PackActionInputs')]


def make_clips(num: int, num_joints: int, seed: int) -> List[Dict]:
    """Random-walk 2D clips in 1280x720 pixels with iMiGUE-like lengths (20..150 frames)."""
    rng = np.random.default_rng(seed)
    clips = []
    for i in range(num):
        t = int(rng.integers(20, 151))
        kp = (rng.uniform([400, 200], [900, 500], (1, 1, num_joints, 2)) +
              np.cumsum(rng.normal(0, 2, (1, t, num_joints, 2)), axis=1))
        clips.append(dict(keypoint=kp.astype(np.float32), total_frames=t, label=i % 32,
                          keypoint_score=rng.uniform(0.3, 1, (1, t, num_joints)).astype(
                              np.float32), img_shape=(720, 1280), start_index=0,
                          frame_dir=f'bench_{i}'))
    return clips


def load_clips(ann_file: str, num: int, layout: str) -> List[Dict]:
    from mmimigue.datasets.keypoint_store import load_layout_clips
    return [dict(a, start_index=0) for a in load_layout_clips(ann_file, layout, num)]


def run_round(pipe: Callable, clips: List[Dict]) -> Tuple[float, float]:
    """(wall, CPU) seconds to push every clip through ``pipe`` (inputs copied off the clock)."""
    inputs = [copy.deepcopy(c) for c in clips]
    wall, cpu = time.perf_counter(), time.process_time()
    for c in inputs:
        pipe(c)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ann-file', help='PoseDataset pickle; omit to use generated clips')
    parser.add_argument('--layout', default='imigue22')
    parser.add_argument('--num-clips', type=int, default=200)
    parser.add_argument('--clip-len', type=int, default=64)
    parser.add_argument('--rounds', type=int, default=9)
    parser.add_argument('--recipe', choices=['best', 'all'], default='best',
                        help="best: Co-per + Stretch + Posterize; all: MGRandomChoice(k=2) of six")
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    import torch
    from mmaction.registry import TRANSFORMS
    from mmengine.dataset import Compose

    import mmimigue.registration  # noqa: F401  (compat shims + registration)
    from mmimigue.skeleton.layouts import LAYOUTS
    torch.set_num_threads(1)
    np.random.seed(args.seed)

    if args.ann_file:
        clips = load_clips(args.ann_file, args.num_clips, args.layout)
    else:
        clips = make_clips(args.num_clips, LAYOUTS[args.layout]['num_node'], args.seed)
    recipe = BEST if args.recipe == 'best' else ALL_SIX
    cfgs = {STOCK: stock_pipeline(args.clip_len),
            SHARED: mg_pipeline(args.clip_len, recipe, shared_sampling=True),
            PER_VIEW: mg_pipeline(args.clip_len, recipe, shared_sampling=False)}
    pipes = {k: Compose([TRANSFORMS.build(t) for t in v]) for k, v in cfgs.items()}
    shapes = {k: tuple(p(copy.deepcopy(clips[0]))['inputs'].shape) for k, p in pipes.items()}
    for k in pipes:  # warm-up
        run_round(pipes[k], clips[:20])
    times = {k: [] for k in pipes}
    for _ in range(args.rounds):
        for k, p in pipes.items():  # interleaved, so background load hits all alike
            times[k].append(run_round(p, clips))
    n = len(clips)
    wall = {k: n / statistics.median(t[0] for t in v) for k, v in times.items()}
    cpu = {k: n / statistics.median(t[1] for t in v) for k, v in times.items()}
    frames = sum(c['keypoint'].shape[1] for c in clips) / n
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    print(f'{n} clips ({"file" if args.ann_file else "generated"}, mean {frames:.0f} frames, '
          f'V={clips[0]["keypoint"].shape[2]}), clip_len={args.clip_len}, recipe={args.recipe}, '
          f'median of {args.rounds} interleaved rounds, 1 thread, load average {load:.1f} on '
          f'{os.cpu_count()} CPUs')
    print(f'{"":<32}{"---- wall time ----":>22}{"---- CPU time ----":>22}')
    print(f'{"pipeline":<32}{"samples/s":>12}{"ratio":>10}{"samples/s":>12}{"ratio":>10}'
          '  inputs shape')
    for k in pipes:
        print(f'{k:<32}{wall[k]:>12.1f}{wall[k] / wall[STOCK]:>10.2f}'
              f'{cpu[k]:>12.1f}{cpu[k] / cpu[STOCK]:>10.2f}  {shapes[k]}')
    for name, rates in (('wall', wall), ('CPU', cpu)):
        ratio = rates[SHARED] / rates[STOCK]
        verdict = 'meets' if ratio >= 0.5 else 'MISSES'
        print(f'{name}-time ratio (MG 2 views, shared sampling) / stock = {ratio:.2f}: {verdict} '
              'the >= 0.5 target for two views')

if __name__ == '__main__':
    main()
