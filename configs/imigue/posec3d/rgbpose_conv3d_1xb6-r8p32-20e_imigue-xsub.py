# RGBPoseConv3D (PoseC3D's RGB + pose two-pathway model) on iMiGUE: mmaction2's stock config
# (mmaction::skeleton/posec3d/rgbpose_conv3d/rgbpose_conv3d.py: model, 8 RGB + 32 pose frames,
# 20 epochs, SGD lr 0.0075 at 8 x 6 clips, lr x0.1 at 12 / 16) with
# - MGIMiGUERGBPoseDataset: 22-joint keypoints from the converted pickle and the frames of the same
#   moments decoded from the full interview videos (MGClipToVideoFrames moves the RGB indices
#   drawn in the clip to video frames before MMDecode);
# - 22 pose heat-map channels, 32 classes, the imigue22 flip pairs;
# - lr 0.0075 x 6 / 48 for one GPU x 6 (auto_scale_lr rescales);
# - trained on xsub_train_minus_val, the checkpoint chosen on xsub_val by the fused score
#   (acc/RGBPose_1:1_top1: rgb + pose probabilities, 1:1), tested on xsub_test.
# mmaction2's documented recipe (its rgbpose_conv3d/README.md), which load_from expects:
#   1. python tools/train.py configs/imigue/posec3d/rgbpose-rgb_*.py (RGB only), then
#      python tools/train.py configs/imigue/posec3d/rgbpose-pose_*.py (pose only)
#   2. python tools/model_converters/merge_rgbpose_init.py THIS_CONFIG RGB_CKPT POSE_CKPT
#      (writes work_dirs/rgbpose_conv3d_init_imigue.pth)
#   3. python tools/train.py THIS_CONFIG
# (the stock NTU initialisation instead: load_from = the mmaction2 URL of rgbpose_conv3d_init;
# its 17-channel pose conv1 and 60-class heads are then re-initialised.)
# The MiGA 2024 winner (70.25 top-1) built on this model; docs/miga_recipes.md.
_base_ = 'mmaction::skeleton/posec3d/rgbpose_conv3d/rgbpose_conv3d.py'

custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)
dataset_type = 'MGIMiGUERGBPoseDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
video_root = 'data/imigue/videos'
left_kp = [5, 6, 7, 9, 11, 12, 13, 14, 15, 16]
right_kp = [2, 3, 4, 8, 10, 17, 18, 19, 20, 21]

model = dict(backbone=dict(pose_pathway=dict(in_channels=22)), cls_head=dict(num_classes=32))

# named pieces, reused by the RGB-only step (rgbpose-rgb_*.py)
target = dict(type='GeneratePoseTarget', sigma=0.7, use_score=True, with_kp=True,
              with_limb=False, scaling=0.25)
pack = [dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs', collect_keys=('imgs', 'heatmap_imgs'))]
decode = [dict(type='MGClipToVideoFrames'), dict(type='MMDecode'),
          dict(type='MMCompact', hw_ratio=1., allow_imgpad=True)]
train_crop = [
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp)]
test_crop = [dict(type='Resize', scale=(256, 256), keep_ratio=False)]
clip_len = dict(RGB=8, Pose=32)
train_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=1)] + decode +
                  train_crop + [target] + pack)
val_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=1,
                      test_mode=True)] + decode + test_crop + [target] + pack)
test_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=10,
                       test_mode=True)] + decode + test_crop + [target] + pack)

_data = dict(type=dataset_type, ann_file=ann_file, data_prefix=dict(video=video_root),
             layout='imigue22')
train_dataloader = dict(
    batch_size=6, num_workers=8,
    dataset=dict(_delete_=True, split='xsub_train_minus_val', pipeline=train_pipeline, **_data))
val_dataloader = dict(
    batch_size=1, num_workers=8,
    dataset=dict(_delete_=True, split='xsub_val', pipeline=val_pipeline, test_mode=True,
                 **_data))
test_dataloader = dict(
    batch_size=1, num_workers=8,
    dataset=dict(_delete_=True, split='xsub_test', pipeline=test_pipeline, test_mode=True,
                 **_data))
val_evaluator = [
    dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'),
         metric_options=dict(top_k_accuracy=dict(topk=(1, 5))))
]
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=0.0075 * 6 / 48))
# the stock steps at epochs 12 and 16 of 20, as fractions of train_cfg.max_epochs (a shorter or
# longer run keeps the schedule's shape)
param_scheduler = [dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True,
                        milestone_fractions=[12 / 20, 16 / 20], gamma=0.1)]
auto_scale_lr = dict(enable=False, base_batch_size=6)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_best='acc/RGBPose_1:1_top1',
                    rule='greater'),
    progress=dict(type='MGProgressHook', interval_s=20))
load_from = 'work_dirs/rgbpose_conv3d_init_imigue.pth'  # step 2 above
