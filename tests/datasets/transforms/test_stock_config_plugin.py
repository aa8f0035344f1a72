"""The MG augmentations plug into a config we did not write: mmaction2's own stock ST-GCN config."""
import copy
import math
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmengine.utils import get_installed_path

# mmaction::skeleton/stgcn/... : the config shipped inside the installed mmaction2 wheel
STOCK = osp.join(get_installed_path('mmaction'), '.mim', 'configs', 'skeleton', 'stgcn',
                 'stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py')
MG_STEPS = [
    dict(type='MGRandomChoice', k=2,
         transforms=[dict(type='MGCoordinatePerturb'), dict(type='MGStretch', center=0),
                     dict(type='MGPosterizeTime')]),
    dict(type='MGViewPerturb', center=0, wide_range=math.pi / 6, narrow_range=math.pi / 18),
    dict(type='MGRepeatClip', p=0.5),
    dict(type='MGReverseClip', p=0.5),
]


def write_coco_pose_pickle(path, num=2, frames=30):
    """A tiny 2D COCO-17 PoseDataset pickle in pixel coordinates (mmaction2's ntu60_2d format)."""
    rng = np.random.default_rng(0)
    anns = []
    for i in range(num):
        base = rng.uniform([700, 300], [1200, 800], (1, 1, 17, 2))
        kp = base + np.cumsum(rng.normal(0, 3, (1, frames, 17, 2)), axis=1)
        anns.append(dict(frame_dir=f'S001C001P00{i}R001A00{i + 1}', label=i % 60,
                         img_shape=(1080, 1920), original_shape=(1080, 1920),
                         total_frames=frames, keypoint=kp.astype(np.float32),
                         keypoint_score=rng.uniform(0.3, 1, (1, frames, 17)).astype(np.float32)))
    names = [a['frame_dir'] for a in anns]
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=names, xsub_val=names), annotations=anns), f)


def test_stock_stgcn_config_trains_one_step_with_mg_augmentations(tmp_path):
    torch.set_num_threads(1)
    ann = tmp_path / 'ntu60_2d_tiny.pkl'
    write_coco_pose_pickle(ann)
    cfg = Config.fromfile(STOCK)
    cfg.custom_imports = dict(imports=['mmimigue'], allow_failed_imports=False)
    loader = cfg.train_dataloader
    pipeline = loader.dataset.dataset.pipeline
    assert [p['type'] for p in pipeline[:2]] == ['PreNormalize2D', 'GenSkeFeat']
    pipeline[2]['clip_len'] = 24  # test-size override (stock: 100 frames)
    loader.dataset.dataset.pipeline = pipeline[:1] + copy.deepcopy(MG_STEPS) + pipeline[1:]
    loader.dataset.dataset.ann_file = str(ann)
    loader.dataset.times = 1
    loader.update(batch_size=2, num_workers=0, persistent_workers=False)
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator', 'test_dataloader', 'test_cfg',
                'test_evaluator'):
        cfg[key] = None
    cfg.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1, val_interval=1)
    cfg.default_hooks.checkpoint = None
    cfg.randomness = dict(seed=0)
    cfg.work_dir = str(tmp_path / 'work')
    # save and reload, as a user's config file: Config.fromfile performs the custom_imports
    cfg.dump(tmp_path / 'user_config.py')
    cfg = Config.fromfile(tmp_path / 'user_config.py')

    runner = Runner.from_cfg(cfg)
    steps = [type(t).__name__ for t in runner.train_dataloader.dataset.dataset.pipeline.transforms]
    assert steps[:6] == ['PreNormalize2D', 'MGRandomChoice', 'MGViewPerturb', 'MGRepeatClip',
                         'MGReverseClip', 'GenSkeFeat']
    batch = next(iter(runner.train_dataloader))
    assert batch['inputs'][0].shape == (1, 2, 24, 17, 3)
    assert all(torch.isfinite(x).all() for x in batch['inputs'])

    before = {k: v.detach().clone() for k, v in runner.model.state_dict().items()}
    runner.train()
    after = runner.model.state_dict()
    changed = [k for k in before if before[k].is_floating_point()
               and not torch.equal(before[k], after[k])]
    assert any('backbone' in k for k in changed) and any('cls_head' in k for k in changed)
    assert all(torch.isfinite(v).all() for v in after.values() if v.is_floating_point())
    assert runner.iter == 1
