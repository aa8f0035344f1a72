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
from typing import Optional

import numpy as np

from ..skeleton import layout_body_units
from ..skeleton.live_session import LiveSession


class OnnxLiveDetector(LiveSession):
    """Causal, stateful MG detection with an exported ``causal`` ONNX model (``push`` /
    ``flush``: :class:`~mmimigue.skeleton.live_session.LiveSession`).

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
        self._h_shape = (int(meta['num_layers']), 1, int(meta['hidden']))
        self.setup(layout, meta['layout'], meta['class_names'], meta['postprocess'],
                   meta['background'])

    def _start(self) -> None:
        self._h = np.zeros(self._h_shape, np.float32)
        self._last: Optional[np.ndarray] = None

    def _step(self, frames: np.ndarray):
        # each frame normalised on its own: (n, 1, V, C) -> (n, 1, V, D)
        units = layout_body_units(frames[:, None], self.model_layout)[:, 0][None]
        units = units.astype(np.float32)
        last = units[:, 0] if self._last is None else self._last
        probs, starts, self._last, self._h = self.session.run(
            None, dict(units=units, last=last, h=self._h))
        return probs, starts
