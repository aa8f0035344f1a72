"""Run a trained clip-level MG model over every clip of every video and store its outputs.

Usage::

    python tools/extract_clip_outputs.py CONFIG CKPT [--out data/imigue/clip_outputs.pkl]
        [--splits xsub_train xsub_test] [--batch-size 16] [--device cpu]
        [--feature-layer cls_head.fc] [--cfg-options key=value ...]

Works with any mmaction2 recognizer config: the model is built from ``CONFIG``, ``CKPT`` is
loaded, and the config's test pipeline (``test_dataloader``, or ``val_dataloader`` with
``--dataloader val``) is run once per clip-level split (the dataset's ``split`` argument is set
to each of ``--splits``; ``--splits all`` passes ``split=None``, i.e. every annotation). For
each clip it stores the class scores, the probability vector, the predicted label, the pooled
feature (the input of the head's last linear layer, averaged over the test views), the
ground-truth label, start / end frames and the video metadata (``video_id``, ``subject_id``,
``emotion``). Clips are grouped per video in temporal order; the file format is documented in
:mod:`mmimigue.emotion.clip_outputs` and docs/emotion.md.

Clips predicted by a model trained on them (``clip_split == 'xsub_train'`` with the default
setting) carry optimistic predictions; the emotion dataset can keep only some clip splits
(``clip_splits=('xsub_test',)``).
"""
import argparse
import copy
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

import mmimigue  # noqa: F401  (compat shims + registration)
from mmimigue.apis import (FeatureCatcher, feature_source, init_recognizer,
                           protocol_class_names, to_probability, view_mean_score)
from mmimigue.emotion.clip_outputs import group_clips_by_video
from mmimigue.engine import Heartbeat
from mmimigue.protocol import imigue_protocol
from mmimigue.protocol.imigue import normalize_video_id

DEFAULT_OUT = 'data/imigue/clip_outputs.pkl'


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='clip-level model config')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    parser.add_argument('--out', default=DEFAULT_OUT, help=f'output pickle ({DEFAULT_OUT})')
    parser.add_argument('--splits', nargs='+', default=['xsub_train', 'xsub_test'],
                        help="clip-level splits to run ('all' = split=None: every clip)")
    parser.add_argument('--dataloader', choices=['test', 'val'], default='test',
                        help='whose dataset / pipeline to use (default: test_dataloader)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--feature-layer', default='auto',
                        help="module whose input is the pooled feature, e.g. 'cls_head.fc_cls' "
                        "(default 'auto': the head's last nn.Linear; for visual-text heads the "
                        'visual embedding, the output of cls_head.visual_proj)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, key=value')
    return parser.parse_args(argv)


def accepts_split(ds_cfg: Dict) -> bool:
    """Whether the dataset config (or its registered class) takes a ``split`` argument."""
    import inspect
    from mmaction.registry import DATASETS
    if 'split' in ds_cfg:
        return True
    cls = ds_cfg.get('type')
    cls = DATASETS.get(cls) if isinstance(cls, str) else cls
    return cls is not None and 'split' in inspect.signature(cls.__init__).parameters


def clip_metadata(info: Dict, idx: int, split: str) -> Dict:
    """The clip's metadata from its dataset entry (``frame_dir`` 'VVVV_k' fills gaps)."""
    frame_dir = str(info.get('frame_dir', info.get('filename', idx)))
    video_id = info.get('video_id', frame_dir.split('_')[0] if '_' in frame_dir else frame_dir)
    clip_index = int(info.get('clip_index', idx))
    start = int(info.get('start_frame', -1))
    return dict(video_id=normalize_video_id(video_id), subject_id=int(info.get('subject_id', -1)),
                emotion=int(info.get('emotion', -1)), frame_dir=frame_dir, clip_split=split,
                clip_index=clip_index, start_frame=start if start >= 0 else clip_index,
                end_frame=int(info.get('end_frame', start)))


def run_split(model, loader_cfg: Dict, split: Optional[str],
              catcher: FeatureCatcher) -> Tuple[List[Dict], List[str]]:
    """Run the model over one split; return one record per clip and the class names."""
    from mmengine.runner import Runner
    cfg = copy.deepcopy(loader_cfg)
    loader = Runner.build_dataloader(cfg)
    dataset = loader.dataset
    records, pointer = [], 0
    beat = Heartbeat(f'[extract_clip_outputs] split={split or "all"}: batches', len(loader))
    with torch.no_grad():
        for step, batch in enumerate(loader, 1):
            samples = model.test_step(batch)
            beat.step(step)
            feats = catcher.pop(len(samples))
            for sample, feat in zip(samples, feats):
                info = dataset.get_data_info(pointer)
                score = view_mean_score(sample)
                gt = sample.gt_label if 'gt_label' in sample else info.get('label', -1)
                rec = clip_metadata(info, pointer, split or 'all')
                rec.update(gt_label=int(torch.as_tensor(gt).reshape(-1)[0]),
                           pred_label=int(score.argmax()), cls_score=score.astype(np.float32),
                           prob=to_probability(score), feature=feat)
                records.append(rec)
                pointer += 1
    if pointer != len(dataset):
        raise RuntimeError(f'ran {pointer} clips but the dataset has {len(dataset)}')
    return records, list(dataset.metainfo.get('classes') or [])


def main(argv: Optional[List[str]] = None) -> str:
    args = parse_args(argv)
    from mmengine.config import Config
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    loader_key = f'{args.dataloader}_dataloader'
    if cfg.get(loader_key) is None:
        raise ValueError(f'{args.config} has no {loader_key}; use --dataloader val|test')
    # strict: a checkpoint of another architecture must not run with random weights
    model = init_recognizer(cfg, args.checkpoint, args.device)
    cfg = model.cfg
    catcher = FeatureCatcher(*feature_source(model, args.feature_layer))

    base = cfg[loader_key]
    base_ds = copy.deepcopy(base['dataset'])
    splits = [None] if args.splits == ['all'] else list(args.splits)
    records: Dict[str, Dict] = {}
    classes: List[str] = []
    t0 = time.time()
    for split in splits:
        ds_cfg = copy.deepcopy(base_ds)
        if accepts_split(ds_cfg):
            ds_cfg['split'] = split
        elif split is not None:
            raise ValueError(f'the {loader_key} dataset of {args.config} has no `split` '
                             'argument; run once per annotation file with --splits all and '
                             '--cfg-options test_dataloader.dataset.ann_file=...')
        ds_cfg['test_mode'] = True
        loader_cfg = dict(batch_size=args.batch_size, num_workers=args.num_workers,
                          persistent_workers=False,
                          sampler=dict(type='DefaultSampler', shuffle=False),
                          dataset=ds_cfg)
        if base.get('collate_fn') is not None:
            loader_cfg['collate_fn'] = copy.deepcopy(base['collate_fn'])
        split_records, classes = run_split(model, loader_cfg, split, catcher)
        dup = 0
        for rec in split_records:  # a clip listed in two splits is kept once (first split)
            key = rec['frame_dir']
            if key in records:
                dup += 1
                continue
            records[key] = rec
        print(f'[extract_clip_outputs] split={split}: {len(split_records)} clips '
              f'({dup} already seen), {time.time() - t0:.1f}s', flush=True)
    catcher.handle.remove()

    recs = list(records.values())
    num_classes = int(recs[0]['cls_score'].shape[-1]) if recs else 0
    acc = float(np.mean([r['pred_label'] == r['gt_label'] for r in recs])) if recs else 0.0
    meta = dict(config=osp.abspath(args.config), checkpoint=osp.abspath(args.checkpoint),
                num_classes=num_classes,
                feature_dim=int(recs[0]['feature'].shape[-1]) if recs else 0,
                classes=classes if len(classes) == num_classes else
                protocol_class_names(num_classes),
                fps=float(imigue_protocol().get('fps', 25)),
                splits=[s or 'all' for s in splits], clip_top1=acc)
    content = group_clips_by_video(recs, meta)
    import mmengine
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    mmengine.dump(content, args.out)
    print(f'[extract_clip_outputs] wrote {len(recs)} clips of {len(content["videos"])} videos '
          f'to {args.out} (clip top-1 over all clips: {acc:.4f})', flush=True)
    return args.out


if __name__ == '__main__':
    main()
