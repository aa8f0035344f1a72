"""A tiny randomly initialised ST-GCN config + checkpoint for the inference API tests."""
import os.path as osp

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CLIP_CONFIG = osp.join(ROOT, 'configs', 'imigue',
                       'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')


@pytest.fixture(scope='package')
def tiny_stgcn(tmp_path_factory):
    """``(config path, checkpoint path)`` of an 8-channel ST-GCN with a 1-view test pipeline."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    out = tmp_path_factory.mktemp('apis_models')
    cfg_path = out / 'tiny_stgcn.py'
    cfg_path.write_text(f"""_base_ = [{CLIP_CONFIG!r}]
model = dict(backbone=dict(base_channels=8, num_stages=2, inflate_stages=[2], down_stages=[2]),
             cls_head=dict(in_channels=16))
test_pipeline = [
    dict(type='MGNormalizeBody2D'),
    dict(type='MGGenSkeFeat', layout='imigue22', feats=['j'], with_score=False),
    dict(type='UniformSampleFrames', clip_len=8, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
""")
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(cfg_path)).model)
    ckpt = out / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), str(ckpt))
    return str(cfg_path), str(ckpt)
