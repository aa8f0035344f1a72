"""MediaPipe Holistic over a live sequence of frames, each frame mapped to the 137 OpenPose points
the models were trained on (:func:`holistic_to_openpose`). MediaPipe is imported on first use.

(``tools/data/extract_pose.py`` keeps its own copy of the availability check: it runs without
mmimigue installed, in a separate MediaPipe environment.)
"""
from typing import Optional

import numpy as np

from .holistic_to_openpose import holistic_to_openpose, landmarks_to_array

INSTALL_HINT = 'MediaPipe Holistic is needed: pip install -e ".[pose]" (docs/demo.md)'


def mediapipe_available() -> bool:
    """Whether MediaPipe with the legacy Holistic solution (bundled models) is importable."""
    try:
        import mediapipe as mp
        return hasattr(mp, 'solutions') and hasattr(mp.solutions, 'holistic')
    except Exception:  # noqa: BLE001  (broken installs raise many kinds of errors)
        return False


class HolisticStream:
    """``HolisticStream()(bgr)`` -> (137, 3) OpenPose keypoints in pixels, or None when nobody is
    found; tracking carries over from frame to frame (``static_image_mode=False``). Use as a
    context manager to release MediaPipe's graph."""

    def __init__(self, model_complexity: int = 1) -> None:
        if not mediapipe_available():
            raise ImportError(INSTALL_HINT)
        import mediapipe as mp
        # model_complexity=1: the full pose model bundled in the wheel (0 / 2 download)
        self._holistic = mp.solutions.holistic.Holistic(
            static_image_mode=False, model_complexity=model_complexity, smooth_landmarks=True)

    def __call__(self, bgr: np.ndarray) -> Optional[np.ndarray]:
        import cv2
        res = self._holistic.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        return holistic_to_openpose(
            landmarks_to_array(res.pose_landmarks, with_visibility=True),
            landmarks_to_array(res.left_hand_landmarks),
            landmarks_to_array(res.right_hand_landmarks), (bgr.shape[1], bgr.shape[0]))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._holistic.close()
