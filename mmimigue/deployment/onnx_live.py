"""Live MG recognition with an exported causal detector: onnxruntime and numpy only (torch is not
imported), the same push / flush API and the same events as :class:`mmimigue.apis.MGLiveDetector`.

Example::

    from mmimigue.deployment.onnx_live import OnnxLiveDetector
    live = OnnxLiveDetector('causal.onnx')   # class names, layout, segmenter from its metadata
    for keypoints in source:                 # (V, 3) x, y, score of the model's joints
        for e in live.push(keypoints):
            print(e['name'], e['start'], e['end'], 'latency', e['emitted_at'] - e['end'])
    events = live.flush()
"""
import json
from typing import Dict, List, Optional

import numpy as np

from ..skeleton import CausalSegmenter, layout_body_units, layout_info, pushed_frames


class OnnxLiveDetector:
    """Causal, stateful MG detection with an exported ``causal`` ONNX model.

    Args:
        path (str): The ``.onnx`` file from ``tools/deployment/export_onnx.py``.
        layout (str, optional): Layout of the frames pushed; None means the model's joints
            (``'openpose137'`` for the 137 OpenPose points).
        threads (int, optional): onnxruntime intra-op threads (default: its own choice).
    """

    def __init__(self, path: str, layout: Optional[str] = None,
                 threads: Optional[int] = None) -> None:
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        if threads:
            opts.intra_op_num_threads = int(threads)
        self.session = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])
        meta = {k: json.loads(v) for k, v in
                self.session.get_modelmeta().custom_metadata_map.items()}
        if meta.get('kind') != 'causal':
            raise ValueError(f'{path} is not an exported causal stream detector (kind '
                             f'{meta.get("kind")!r}); export one of configs/*/online_causal-gru_* '
                             'with tools/deployment/export_onnx.py')
        self.meta = meta
        self.model_layout = meta['layout']
        self.layout = layout or self.model_layout
        self.class_names = list(meta['class_names'])
        self._h_shape = (int(meta['num_layers']), 1, int(meta['hidden']))
        info = layout_info(self.model_layout)
        self._dims = info.dims
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next push starts a new one at frame 0."""
        self._h = np.zeros(self._h_shape, np.float32)
        self._last: Optional[np.ndarray] = None
        self._segmenter = CausalSegmenter(int(self.meta['background']),
                                          **self.meta['postprocess'])
        self.frames = 0
        self.last_probs: Optional[np.ndarray] = None

    def push(self, frames: np.ndarray) -> List[Dict]:
        """The next frame (V, C) or frames (n, V, C) -> the MG events decided at them (as
        :meth:`mmimigue.apis.MGLiveDetector.push`)."""
        x = pushed_frames(frames, self.layout, self.model_layout)
        if not len(x):
            return []
        # each frame normalised on its own: (n, 1, V, C) -> (n, 1, V, D)
        units = layout_body_units(x[:, None], self.model_layout)[:, 0][None].astype(np.float32)
        last = units[:, 0] if self._last is None else self._last
        probs, starts, self._last, self._h = self.session.run(
            None, dict(units=units, last=last, h=self._h))
        self.frames += len(x)
        self.last_probs = probs[-1]
        return self._named(self._segmenter.update(probs, starts))

    def flush(self) -> List[Dict]:
        """The stream ended: the open MG is decided at its last frame; then a new stream."""
        events = self._named(self._segmenter.flush())
        self.reset()
        return events

    def _named(self, events: List[Dict]) -> List[Dict]:
        for e in events:
            e['name'] = self.class_names[e['label']]
        return events
