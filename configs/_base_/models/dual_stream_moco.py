# The dual-stream MoCo of the MG paper (sec. 4.2): a 2s-AGCN spatial stream and a 3-layer MGBiGRU
# (1024 units) temporal stream, each with its MLP re-projection head to 128-d, a queue of 512
# negatives, a momentum key encoder (m = 0.999) and InfoNCE with T = 0.07. Defaults: iMiGUE's
# 22-joint upper body with x / y; a config for another layout overrides the streams' graph /
# channels / joints (configs/smg/). Input: x, y (MGGenSkeFeat(with_score=False) drops the
# confidence).

model = dict(
    type='MGDualStreamMoCo',
    streams=dict(
        spatial=dict(
            type='MGSkeletonMoCo',
            backbone=dict(type='AAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'),
                          in_channels=2, num_person=1),
            neck=dict(type='MGProjectionMLP', in_channels=256, out_channels=128),
            queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07),
        temporal=dict(
            type='MGSkeletonMoCo',
            backbone=dict(type='MGBiGRU', in_channels=2, num_joints=22,
                          hidden_size=1024, num_layers=3, bidirectional=True, pooling='mean'),
            neck=dict(type='MGProjectionMLP', in_channels=2048, out_channels=128),
            queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07)))
