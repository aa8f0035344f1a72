"""Map MediaPipe Holistic landmarks to the 137 OpenPose points of the iMiGUE release.

This module needs only numpy and the standard library (no mediapipe, no mmaction), so the pose
extractor ``tools/data/extract_pose.py`` can load it by file path inside a separate environment,
and the mapping is testable without mediapipe.

Output order (the iMiGUE / OpenPose 1.3 order used by :mod:`mmimigue.skeleton.layouts`): BODY_25 0-24,
face 25-94, left hand 95-115, right hand 116-136; each point is (x, y, score) in pixels.

* BODY_25 from the 33 BlazePose landmarks: most joints are one landmark; ``Neck`` is the shoulder
  midpoint and ``MidHip`` the hip midpoint (score = the smaller visibility of the two); BlazePose
  has one toe point per foot (``foot_index``), used for both the big and the small toe. Scores
  are the landmarks' visibilities.
* Hands: the 21 MediaPipe hand landmarks are in OpenPose's hand order (wrist, thumb 1-4, index
  5-8, middle 9-12, ring 13-16, little 17-20); score 1 when the hand is detected, zeros when not.
  ``left`` / ``right`` are the person's own sides in both systems.
* Face: not mapped (the 70 OpenPose face points are zeros with score 0); the iMiGUE layouts
  used by the baselines ('imigue22', 'body25') contain no face points.
* Points whose score is below ``min_score`` are zeroed (x = y = score = 0), as OpenPose writes
  undetected joints.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

NUM_OPENPOSE_KEYPOINTS = 137
BODY25, FACE70, HAND21 = 25, 70, 21
FACE_OFFSET, LHAND_OFFSET, RHAND_OFFSET = 25, 95, 116
NUM_BLAZEPOSE_LANDMARKS = 33

#: BODY_25 joint names, in order.
BODY25_NAMES = ('Nose', 'Neck', 'RShoulder', 'RElbow', 'RWrist', 'LShoulder', 'LElbow', 'LWrist',
                'MidHip', 'RHip', 'RKnee', 'RAnkle', 'LHip', 'LKnee', 'LAnkle', 'REye', 'LEye',
                'REar', 'LEar', 'LBigToe', 'LSmallToe', 'LHeel', 'RBigToe', 'RSmallToe', 'RHeel')

# BlazePose landmark indices (mediapipe.solutions.pose.PoseLandmark).
_BP = dict(nose=0, left_eye=2, right_eye=5, left_ear=7, right_ear=8, left_shoulder=11,
           right_shoulder=12, left_elbow=13, right_elbow=14, left_wrist=15, right_wrist=16,
           left_hip=23, right_hip=24, left_knee=25, right_knee=26, left_ankle=27, right_ankle=28,
           left_heel=29, right_heel=30, left_foot_index=31, right_foot_index=32)

#: For each BODY_25 joint, the two BlazePose landmarks whose midpoint it is (the same landmark
#: twice for joints that exist in BlazePose).
BODY25_FROM_BLAZEPOSE: Tuple[Tuple[str, str], ...] = (
    ('nose', 'nose'), ('left_shoulder', 'right_shoulder'),
    ('right_shoulder', 'right_shoulder'), ('right_elbow', 'right_elbow'),
    ('right_wrist', 'right_wrist'), ('left_shoulder', 'left_shoulder'),
    ('left_elbow', 'left_elbow'), ('left_wrist', 'left_wrist'), ('left_hip', 'right_hip'),
    ('right_hip', 'right_hip'), ('right_knee', 'right_knee'), ('right_ankle', 'right_ankle'),
    ('left_hip', 'left_hip'), ('left_knee', 'left_knee'), ('left_ankle', 'left_ankle'),
    ('right_eye', 'right_eye'), ('left_eye', 'left_eye'), ('right_ear', 'right_ear'),
    ('left_ear', 'left_ear'), ('left_foot_index', 'left_foot_index'),
    ('left_foot_index', 'left_foot_index'), ('left_heel', 'left_heel'),
    ('right_foot_index', 'right_foot_index'), ('right_foot_index', 'right_foot_index'),
    ('right_heel', 'right_heel'))
_SRC_A = np.array([_BP[a] for a, _ in BODY25_FROM_BLAZEPOSE])
_SRC_B = np.array([_BP[b] for _, b in BODY25_FROM_BLAZEPOSE])

_PARTS = (('pose_keypoints_2d', 0, BODY25), ('face_keypoints_2d', FACE_OFFSET, FACE70),
          ('hand_left_keypoints_2d', LHAND_OFFSET, HAND21),
          ('hand_right_keypoints_2d', RHAND_OFFSET, HAND21))


def _check(arr: Optional[np.ndarray], n: int, cols: int, name: str) -> Optional[np.ndarray]:
    if arr is None:
        return None
    arr = np.asarray(arr, np.float32)
    if arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] < cols:
        raise ValueError(f'{name}: expected ({n}, >={cols}) landmarks, got {arr.shape}')
    return arr


def holistic_to_openpose(pose: Optional[np.ndarray],
                         left_hand: Optional[np.ndarray],
                         right_hand: Optional[np.ndarray],
                         image_size: Tuple[int, int],
                         min_score: float = 0.0) -> Optional[np.ndarray]:
    """One frame of Holistic landmarks -> (137, 3) OpenPose keypoints (x, y, score) in pixels.

    Args:
        pose (np.ndarray, optional): (33, 4) BlazePose landmarks ``(x, y, z, visibility)`` with x
            and y normalised to [0, 1] by the image width / height; None when no body was found.
        left_hand (np.ndarray, optional): (21, >=2) landmarks of the person's left hand
            (normalised x, y), None when not detected.
        right_hand (np.ndarray, optional): Same for the right hand.
        image_size (tuple): ``(width, height)`` of the frame in pixels.
        min_score (float): Points with a lower score are zeroed. Defaults to 0 (keep all).

    Returns:
        np.ndarray | None: float32 (137, 3), or None when nothing at all was detected (the frame
        is then written with ``people: []``).

    Raises:
        ValueError: on landmark arrays of the wrong shape.
    """
    pose = _check(pose, NUM_BLAZEPOSE_LANDMARKS, 4, 'pose')
    left_hand = _check(left_hand, HAND21, 2, 'left_hand')
    right_hand = _check(right_hand, HAND21, 2, 'right_hand')
    if pose is None and left_hand is None and right_hand is None:
        return None
    scale = np.array(image_size, np.float32)
    out = np.zeros((NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    if pose is not None:
        out[:BODY25, :2] = (pose[_SRC_A, :2] + pose[_SRC_B, :2]) * 0.5 * scale
        out[:BODY25, 2] = np.clip(np.minimum(pose[_SRC_A, 3], pose[_SRC_B, 3]), 0, 1)
    for hand, offset in ((left_hand, LHAND_OFFSET), (right_hand, RHAND_OFFSET)):
        if hand is not None:
            out[offset:offset + HAND21, :2] = hand[:, :2] * scale
            out[offset:offset + HAND21, 2] = 1.0
    out[~np.isfinite(out).all(-1)] = 0
    out[out[:, 2] < max(min_score, 1e-12)] = 0
    return out


def openpose_frame_json(keypoints: Optional[np.ndarray]) -> Dict:
    """OpenPose 1.3 JSON content of one frame (``people: []`` when ``keypoints`` is None).

    Args:
        keypoints (np.ndarray, optional): (137, 3) keypoints of the one person, or None.
    """
    content: Dict = dict(version=1.3, people=[])
    if keypoints is None:
        return content
    keypoints = np.asarray(keypoints, np.float32)
    if keypoints.shape != (NUM_OPENPOSE_KEYPOINTS, 3):
        raise ValueError(f'expected (137, 3) keypoints, got {keypoints.shape}')
    person: Dict = dict(person_id=[-1])
    for key, offset, n in _PARTS:
        person[key] = [round(float(v), 3) for v in keypoints[offset:offset + n].reshape(-1)]
    for key in ('pose_keypoints_3d', 'face_keypoints_3d', 'hand_left_keypoints_3d',
                'hand_right_keypoints_3d'):
        person[key] = []
    content['people'].append(person)
    return content


def frame_file_name(video_id: str, frame: int) -> str:
    """``<video_id>_<12-digit frame>_keypoints.json``, the iMiGUE / OpenPose file name."""
    if frame < 0:
        raise ValueError(f'frame index must be >= 0, got {frame}')
    return f'{video_id}_{frame:012d}_keypoints.json'


def landmarks_to_array(landmark_list, with_visibility: bool = False) -> Optional[np.ndarray]:
    """A MediaPipe ``NormalizedLandmarkList`` (or None) -> (N, 3|4) array ``x, y, z[, vis]``.

    Duck-typed (reads ``.landmark[i].x`` ...), so it does not import mediapipe.
    """
    if landmark_list is None:
        return None
    pts = landmark_list.landmark
    cols: Sequence[str] = ('x', 'y', 'z', 'visibility') if with_visibility else ('x', 'y', 'z')
    return np.array([[getattr(p, c) for c in cols] for p in pts], np.float32)
