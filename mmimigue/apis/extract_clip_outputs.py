"""Run a trained clip-level MG model over every clip of every video and collect its outputs
(scores, probabilities, pooled features, labels, video metadata), grouped per video in temporal
order: the input of the emotion models and the LLM reasoning (format:
:mod:`mmimigue.emotion.clip_outputs`). ``tools/extract_clip_outputs.py`` is its command line.
"""
import copy
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from ..emotion.clip_outputs import group_clips_by_video
from ..engine import Heartbeat
from ..protocol import imigue_protocol
from ..protocol.imigue import normalize_video_id
from .class_names import protocol_class_names
from .clip_inference import FeatureCatcher, feature_source, to_probability, view_mean_score
from .model_loading import init_recognizer


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


def extract_clip_outputs(config, checkpoint: str, splits: Sequence[str] = ('xsub_train',
                                                                        'xsub_test'),
                         dataloader: str = 'test', batch_size: int = 16, num_workers: int = 0,
                         device: str = 'cpu', feature_layer: str = 'auto',
                         cfg_options: Optional[Dict] = None) -> Dict:
    """The clip-outputs content of ``config`` + ``checkpoint`` over ``splits``.

    Args:
        config (str | Config): Any mmaction2 recognizer config.
        checkpoint (str): Its weights (loaded strictly: never random weights).
        splits (Sequence[str]): Clip-level splits to run; ``['all']`` runs ``split=None``.
        dataloader (str): ``'test'`` or ``'val'``: whose dataset and pipeline to use.
        batch_size, num_workers (int): Of the loader built per split.
        device (str): Torch device.
        feature_layer (str): Module whose input is the pooled feature (``'auto'``: the head's
            last linear layer; the visual embedding of visual-text heads).
        cfg_options (dict, optional): Overrides merged into the config.
    """
    from mmengine.config import Config
    cfg = config if isinstance(config, Config) else Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    loader_key = f'{dataloader}_dataloader'
    if cfg.get(loader_key) is None:
        raise ValueError(f'{cfg.filename} has no {loader_key}; use --dataloader val|test')
    model = init_recognizer(cfg, checkpoint, device)
    catcher = FeatureCatcher(*feature_source(model, feature_layer))
    base = cfg[loader_key]
    splits = [None] if list(splits) == ['all'] else list(splits)
    records: Dict[str, Dict] = {}
    classes: List[str] = []
    t0 = time.time()
    for split in splits:
        ds_cfg = copy.deepcopy(base['dataset'])
        if accepts_split(ds_cfg):
            ds_cfg['split'] = split
        elif split is not None:
            raise ValueError(f'the {loader_key} dataset of {cfg.filename} has no `split` '
                             'argument; run once per annotation file with --splits all and '
                             '--cfg-options test_dataloader.dataset.ann_file=...')
        ds_cfg['test_mode'] = True
        loader_cfg = dict(batch_size=batch_size, num_workers=num_workers,
                          persistent_workers=False,
                          sampler=dict(type='DefaultSampler', shuffle=False), dataset=ds_cfg)
        if base.get('collate_fn') is not None:
            loader_cfg['collate_fn'] = copy.deepcopy(base['collate_fn'])
        split_records, classes = run_split(model, loader_cfg, split, catcher)
        dup = 0
        for rec in split_records:  # a clip listed in two splits is kept once (first split)
            if rec['frame_dir'] in records:
                dup += 1
                continue
            records[rec['frame_dir']] = rec
        print(f'[extract_clip_outputs] split={split}: {len(split_records)} clips '
              f'({dup} already seen), {time.time() - t0:.1f}s', flush=True)
    catcher.handle.remove()
    recs = list(records.values())
    num_classes = int(recs[0]['cls_score'].shape[-1]) if recs else 0
    acc = float(np.mean([r['pred_label'] == r['gt_label'] for r in recs])) if recs else 0.0
    meta = dict(config=osp.abspath(cfg.filename or ''), checkpoint=osp.abspath(checkpoint),
                num_classes=num_classes,
                feature_dim=int(recs[0]['feature'].shape[-1]) if recs else 0,
                classes=classes if len(classes) == num_classes else
                protocol_class_names(num_classes),
                fps=float(imigue_protocol().get('fps', 25)),
                splits=[s or 'all' for s in splits], clip_top1=acc)
    return group_clips_by_video(recs, meta)
