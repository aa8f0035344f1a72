# Linear evaluation of the dual-stream MoCo encoders (MG paper sec. 5.1.2): the pretrained query
# encoders frozen (projection heads dropped), one linear classifier per stream; prediction sums
# the two streams' softmax scores (sec. 4.2.4). Classifier: MGLinearProbeHead = parameter-free
# BatchNorm (affine=False) + one FC layer; at test time the BatchNorm is a fixed affine map
# folded into the FC, so the classifier is linear. The backbones must equal the pretraining
# config's (checked when `pretrained` is loaded). Defaults: iMiGUE's 22 joints, x / y, 32 classes.
model = dict(
    type='MGDualStreamRecognizer',
    pretrained=None,
    streams=dict(
        spatial=dict(
            backbone=dict(type='MGFreezableAAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'),
                          in_channels=2, num_person=1,
                          frozen_stages=10, norm_eval=True),  # 10 blocks: all frozen
            cls_head=dict(type='MGLinearProbeHead', num_classes=32, in_channels=256)),
        temporal=dict(
            backbone=dict(type='MGBiGRU', in_channels=2, num_joints=22,
                          hidden_size=1024, num_layers=3, bidirectional=True, pooling='mean',
                          frozen_stages=3, norm_eval=True),  # 3 layers: all frozen
            cls_head=dict(type='MGLinearProbeHead', num_classes=32, in_channels=2048))))
