"""Pose extraction support: MediaPipe Holistic -> OpenPose (iMiGUE) keypoint mapping."""
from .holistic_to_openpose import (
                                   BODY25_FROM_BLAZEPOSE,
                                   BODY25_NAMES,
                                   frame_file_name,
                                   holistic_to_openpose,
                                   landmarks_to_array,
                                   openpose_frame_json,
)

__all__ = ['BODY25_FROM_BLAZEPOSE', 'BODY25_NAMES', 'frame_file_name', 'holistic_to_openpose',
           'landmarks_to_array', 'openpose_frame_json']
