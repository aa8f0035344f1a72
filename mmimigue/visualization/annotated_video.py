"""Read a video's properties and draw the skeleton and the current MG on its frames."""
import os.path as osp
from typing import Dict

import numpy as np

from ..fileio import atomic_output
from ..skeleton import LAYOUTS


def video_properties(video: str) -> Dict:
    """``{fps, width, height, num_frames}`` of a video read with OpenCV."""
    import cv2
    if not osp.isfile(video):
        raise FileNotFoundError(f'{video}: video not found')
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        raise ValueError(f'{video}: OpenCV cannot open this video (check the codec / file)')
    props = dict(fps=float(cap.get(cv2.CAP_PROP_FPS) or 0.0),
                 width=int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                 height=int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
                 num_frames=int(cap.get(cv2.CAP_PROP_FRAME_COUNT)))
    cap.release()
    return props


def write_annotated_video(video: str, seq: np.ndarray, first_frame: int, result: Dict,
                          path: str, fps: float) -> int:
    """Draw the 137-point skeleton ``seq`` (T, 137, 3) and the top-1 MG of the nearest window of
    ``result['windows']`` on the video's frames from ``first_frame``; returns frames written."""
    import cv2
    edges = np.array([(a, b) for a, b in LAYOUTS['openpose137']['inward']
                      if a < 25 or a >= 95], np.int64)  # body + hands (the face is not mapped)
    windows = [w for w in result['windows'] if w['top']]
    centers = np.array([(w['start_frame'] + w['end_frame']) / 2 for w in windows])
    cap = cv2.VideoCapture(video)
    if first_frame > 0:
        cap.set(cv2.CAP_PROP_POS_FRAMES, first_frame)
    writer, written = None, 0
    with atomic_output(path) as tmp:  # a reader never sees half a video
        for t in range(len(seq)):
            ok, img = cap.read()
            if not ok:
                break
            if writer is None:
                writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps or 25.0,
                                         (img.shape[1], img.shape[0]))
            kp = seq[t]
            keep = (kp[edges[:, 0], 2] > 0) & (kp[edges[:, 1], 2] > 0)
            lines = np.round(kp[edges[keep]][..., :2]).astype(np.int32).reshape(-1, 2, 1, 2)
            thick = max(1, img.shape[0] // 300)
            cv2.polylines(img, list(lines), False, (0, 255, 0), thick)
            if len(centers):
                w = windows[int(np.abs(centers - (t + first_frame)).argmin())]
                text = f"{w['top'][0]['name']} {w['top'][0]['score']:.2f}"
                cv2.putText(img, text, (10, 10 + 30 * thick), cv2.FONT_HERSHEY_SIMPLEX, thick,
                            (0, 0, 255), 2 * thick)
            writer.write(img)
            written += 1
        cap.release()
        if writer is None:
            raise ValueError(f'{video}: no frame could be decoded from frame {first_frame}')
        writer.release()
    return written
