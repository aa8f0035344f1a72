"""How late live detection names an MG: frames from the end of a ground-truth MG to the frame at
which the live detector emitted the event that finds it."""
from typing import Dict, Sequence

import numpy as np

from .online_detection import segment_iou


def latency_after_mg_end(events: Dict[str, Sequence[Dict]], gts: Dict[str, Sequence],
                         iou_thr: float = 0.5) -> np.ndarray:
    """Latencies (frames) of the ground-truth MGs that live events found.

    Args:
        events (dict): video id -> live events (``start``, ``end``, ``label``, ``emitted_at``).
        gts (dict): video id -> ground-truth ``(start, end, label)`` (inclusive frames).
        iou_thr (float): tIoU at which an event of the MG's class finds it (the strict F1's).

    Returns:
        np.ndarray: one value per found MG, ``emitted_at - end`` of the MG with its earliest
        finding event (negative when the event was emitted before the MG's annotated end).
    """
    out = []
    for vid, g in gts.items():
        ev = list(events.get(vid, []))
        if not ev or not len(g):
            continue
        g = np.asarray(g, np.int64).reshape(-1, 3)
        p = np.asarray([(e['start'], e['end']) for e in ev], np.int64)
        iou = segment_iou(p, g[:, :2])
        same = np.asarray([e['label'] for e in ev])[:, None] == g[None, :, 2]
        emitted = np.asarray([e['emitted_at'] for e in ev], np.float64)
        found = (iou >= iou_thr) & same  # (events, MGs)
        first = np.where(found, emitted[:, None], np.inf).min(0)
        hit = np.isfinite(first)
        out += list(first[hit] - g[hit, 1])
    return np.asarray(out, np.float64)
