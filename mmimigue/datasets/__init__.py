"""Datasets and transforms; importing registers them into mmaction2's registries."""
from . import transforms  # noqa: F401
from .imigue_skeleton_dataset import IMiGUESkeletonDataset  # noqa: F401
from .smg_skeleton_dataset import SMGSkeletonDataset  # noqa: F401
from .imigue_emotion_dataset import IMiGUEEmotionDataset, emotion_pad_collate  # noqa: F401
from .imigue_rgb_dataset import IMiGUERGBDataset  # noqa: F401
from .class_balanced_sampler import MGClassBalancedSampler  # noqa: F401
from .imigue_rgb_pose_dataset import IMiGUERGBPoseDataset  # noqa: F401
from .stream_dataset import MGStreamDataset  # noqa: F401
