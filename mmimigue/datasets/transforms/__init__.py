"""Skeleton / RGB transforms registered into mmaction2's TRANSFORMS."""
from .body_normalize import MGNormalizeBody2D  # noqa: F401
from .clip_to_video_frames import MGClipToVideoFrames  # noqa: F401
from .decord_clip_init import MGDecordClipInit  # noqa: F401
from .load_stored_keypoints import MGLoadStoredKeypoints  # noqa: F401
from .mg_augment import (  # noqa: F401
                         MGCoordinatePerturb,
                         MGPosterizeTime,
                         MGRepeatClip,
                         MGReverseClip,
                         MGStretch,
                         MGViewPerturb,
)
from .mg_random_choice import MGRandomChoice  # noqa: F401
from .multi_view import MGMultiView  # noqa: F401
from .pack_stream import MGPackStream  # noqa: F401
from .project_kinect_2d import MGProjectKinect2D  # noqa: F401
from .skeleton_features import MGGenSkeFeat, MGJointToBone  # noqa: F401
