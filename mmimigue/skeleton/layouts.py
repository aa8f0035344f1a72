"""Skeleton layouts: every fact about a joint layout, in one place.

A layout is named by a string (``'imigue22'``, ``'body25'``, ``'openpose137'``, ``'ntu25'``)
that configs, converters, stream pickles and models carry; everything a layout decides (its
joints in the stored points, its graph, centre and scale joints, flip pairs, whether it is
Kinect 3D) is read from here (:func:`layout_info`).

Converted iMiGUE keypoints keep all 137 OpenPose points in this order:
BODY_25 (0-24), face (25-94), left hand (95-115), right hand (116-136).
A layout names the subset of those points a model sees (``indices``) and its skeleton
(``inward`` edges child -> parent, ``center``), so ``graph_cfg=dict(layout=LAYOUTS['imigue22'])``
works with mmaction2's STGCN / AAGCN unchanged. Use :func:`graph_layout` in configs.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

BODY25, FACE, HAND = 25, 70, 21
FACE_OFFSET = BODY25
LHAND_OFFSET = BODY25 + FACE
RHAND_OFFSET = LHAND_OFFSET + HAND
NUM_OPENPOSE_KEYPOINTS = RHAND_OFFSET + HAND  # 137

# BODY_25 skeleton as (child, parent), rooted at the neck (1).
BODY25_INWARD = [(0, 1), (2, 1), (3, 2), (4, 3), (5, 1), (6, 5), (7, 6), (8, 1), (9, 8),
                 (10, 9), (11, 10), (12, 8), (13, 12), (14, 13), (15, 0), (16, 0), (17, 15),
                 (18, 16), (19, 14), (20, 19), (21, 14), (22, 11), (23, 22), (24, 11)]
# A hand: wrist 0, then four points per finger from the palm out.
HAND_INWARD = [(f * 4 + k + 1, f * 4 + k if k else 0) for f in range(5) for k in range(4)]
# Face: jaw contour, brows, nose, eyes, lips as chains; each chain hangs off the nose tip (30).
_FACE_CHAINS = [range(0, 17), range(17, 22), range(22, 27), range(27, 31), range(31, 36),
                range(36, 42), range(42, 48), range(48, 60), range(60, 68)]


def _face_inward() -> List[Tuple[int, int]]:
    edges = []
    for chain in _FACE_CHAINS:
        chain = list(chain)
        if 30 in chain:  # the nose bridge runs down to its root, the tip
            edges += [(chain[i], chain[i + 1]) for i in range(len(chain) - 1)]
        else:
            edges += [(chain[i + 1], chain[i]) for i in range(len(chain) - 1)]
            edges.append((chain[0], 30))
    edges += [(68, 36), (69, 42)]  # pupils hang off their eye corners
    return edges


def _openpose137_inward() -> List[Tuple[int, int]]:
    edges = list(BODY25_INWARD)
    edges += [(a + FACE_OFFSET, b + FACE_OFFSET) for a, b in _face_inward()]
    edges.append((30 + FACE_OFFSET, 0))  # face nose tip -> body nose
    for offset, wrist in ((LHAND_OFFSET, 7), (RHAND_OFFSET, 4)):
        edges += [(a + offset, b + offset) for a, b in HAND_INWARD]
        edges.append((offset, wrist))  # hand root -> body wrist
    return edges


FINGERTIPS = (4, 8, 12, 16, 20)
# The 22-joint upper body of the public iMiGUE baselines (protocol/imigue.json "upper_body_22").
IMIGUE22_INDICES = ([0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 18] +
                    [LHAND_OFFSET + t for t in FINGERTIPS] + [RHAND_OFFSET + t for t in FINGERTIPS])
IMIGUE22_EDGES = [(0, 1), (1, 2), (2, 3), (3, 4), (1, 5), (5, 6), (6, 7), (0, 8), (8, 10),
                  (0, 9), (9, 11), (7, 12), (7, 13), (7, 14), (7, 15), (7, 16), (4, 17),
                  (4, 18), (4, 19), (4, 20), (4, 21)]
# NTU RGB+D / Kinect v2 25 joints (SMG), 1-based pairs from the NTU definition.
_NTU_PAIRS = [(1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6), (8, 7), (9, 21),
              (10, 9), (11, 10), (12, 11), (13, 1), (14, 13), (15, 14), (16, 15), (17, 1),
              (18, 17), (19, 18), (20, 19), (22, 23), (23, 8), (24, 25), (25, 12)]


def orient_edges(edges: List[Tuple[int, int]], center: int) -> List[Tuple[int, int]]:
    """Undirected tree edges -> (child, parent) pairs pointing towards ``center``."""
    neighbours: Dict[int, List[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    inward, frontier, seen = [], [center], {center}
    while frontier:
        parent = frontier.pop(0)
        for child in sorted(neighbours.get(parent, [])):
            if child not in seen:
                seen.add(child)
                inward.append((child, parent))
                frontier.append(child)
    return inward


LAYOUTS: Dict[str, dict] = {
    'imigue22': dict(num_node=22, center=1, indices=IMIGUE22_INDICES,
                     inward=orient_edges(IMIGUE22_EDGES, center=1)),
    'body25': dict(num_node=25, center=1, indices=list(range(BODY25)), inward=BODY25_INWARD),
    'openpose137': dict(num_node=NUM_OPENPOSE_KEYPOINTS, center=1,
                        indices=list(range(NUM_OPENPOSE_KEYPOINTS)),
                        inward=_openpose137_inward()),
    'ntu25': dict(num_node=25, center=20, indices=list(range(25)),
                  inward=[(i - 1, j - 1) for i, j in _NTU_PAIRS]),
}


@dataclass(frozen=True)
class Layout:
    """What a layout decides beyond its graph.

    Attributes:
        name (str): The layout's name.
        num_node (int): Joints.
        center (int): Centre joint (body-unit origin, view-rotation centre, graph root).
        scale_joints (tuple): The two joints whose distance is one body unit (the shoulders).
        kinect (bool): Kinect camera-space joints x, y, z in metres (SMG); otherwise OpenPose
            pixels x, y with a detection score.
        source_points (int): Points per frame of the data the layout selects from (137 stored
            OpenPose points, 25 Kinect joints).
    """
    name: str
    num_node: int
    center: int
    scale_joints: Tuple[int, int]
    kinect: bool
    source_points: int

    @property
    def channels(self) -> Tuple[str, str, str]:
        """Per-joint values of a stream of this layout."""
        return ('x', 'y', 'z') if self.kinect else ('x', 'y', 'score')

    @property
    def dims(self) -> int:
        """Coordinates per joint a model sees (2 for OpenPose pixels, 3 for Kinect)."""
        return 3 if self.kinect else 2


# (scale joints, kinect): OpenPose layouts have right / left shoulder at positions 2 / 5;
# NTU / Kinect has left / right shoulder at 4 / 8.
_FACTS = dict(imigue22=((2, 5), False), body25=((2, 5), False), openpose137=((2, 5), False),
              ntu25=((4, 8), True))


def check_layout(name: str) -> str:
    """``name`` if it is a known layout; a KeyError listing the known ones otherwise."""
    if name not in LAYOUTS:
        raise KeyError(f'unknown skeleton layout {name!r}; available: {sorted(LAYOUTS)}')
    return name


def layout_info(name: str) -> Layout:
    """The :class:`Layout` facts of ``name``."""
    lay = LAYOUTS[check_layout(name)]
    scale, kinect = _FACTS[name]
    return Layout(name=name, num_node=lay['num_node'], center=lay['center'], scale_joints=scale,
                  kinect=kinect, source_points=25 if kinect else NUM_OPENPOSE_KEYPOINTS)


def is_kinect(name: str) -> bool:
    """Whether ``name`` is a Kinect 3D layout (SMG) rather than an OpenPose 2D one."""
    return layout_info(name).kinect


def graph_layout(name: str) -> dict:
    """A layout dict for ``mmaction.models.utils.Graph`` (keys num_node, inward, center)."""
    lay = LAYOUTS[check_layout(name)]
    return dict(num_node=lay['num_node'], inward=[tuple(e) for e in lay['inward']],
                center=lay['center'])


def layout_indices(name: str) -> List[int]:
    """Indices of a layout's joints in its source points (the stored 137-point OpenPose order,
    or the 25 Kinect joints)."""
    return list(LAYOUTS[check_layout(name)]['indices'])


def bone_pairs(name: str) -> List[Tuple[int, int]]:
    """(joint, parent) pairs for bone features; the centre pairs with itself (zero bone)."""
    lay = LAYOUTS[check_layout(name)]
    parent = {c: p for c, p in lay['inward']}
    return [(v, parent.get(v, v)) for v in range(lay['num_node'])]


# BODY_25 (speaker's left, right) joints: shoulder, elbow, wrist, hip, knee, ankle, eye, ear, feet.
_BODY25_LEFT_RIGHT = [(5, 2), (6, 3), (7, 4), (12, 9), (13, 10), (14, 11), (16, 15), (18, 17),
                      (19, 22), (20, 23), (21, 24)]


def flip_pairs(name: str) -> Tuple[List[int], List[int]]:
    """(left, right) joint indices of an OpenPose-based layout that swap under a horizontal
    flip: mmaction2's ``Flip(left_kp=..., right_kp=...)`` for that layout."""
    if layout_info(name).kinect or name == 'openpose137':  # OpenPose's 70 face points
        raise KeyError(f'flip_pairs: no left / right pairs for {name!r}; use imigue22 or body25')
    pos = {j: i for i, j in enumerate(layout_indices(name))}
    pairs = _BODY25_LEFT_RIGHT + [(LHAND_OFFSET + k, RHAND_OFFSET + k) for k in range(HAND)]
    kept = [(pos[a], pos[b]) for a, b in pairs if a in pos and b in pos]
    return [a for a, _ in kept], [b for _, b in kept]


def frames_in_layout(stream, layout: Optional[str], wanted: str):
    """``stream`` (T, V, C) numpy frames of ``layout`` (None: the 137 stored OpenPose points) in
    ``wanted``'s joints (the joints a model reads); a stream of another layout is refused with
    what to do."""
    if layout is None or layout == 'openpose137':
        if stream.shape[1] != NUM_OPENPOSE_KEYPOINTS:
            raise ValueError(f'a raw OpenPose stream has {NUM_OPENPOSE_KEYPOINTS} points per '
                             f'frame, got {stream.shape[1]}; pass the stream\'s layout')
        if layout_info(wanted).kinect:
            raise ValueError(f'the model reads Kinect joints ({wanted!r}); an OpenPose stream '
                             'cannot feed it')
        return stream if wanted == 'openpose137' else stream[:, layout_indices(wanted)]
    if layout != wanted:
        raise ValueError(f'the stream holds layout {layout!r} but the model reads {wanted!r}: '
                         'use a model trained on this layout, or convert the streams with '
                         f'--stream-layout {wanted}')
    if stream.shape[1] != layout_info(layout).num_node:
        raise ValueError(f'a {layout!r} stream has {layout_info(layout).num_node} joints, got '
                         f'{stream.shape[1]}')
    return stream


def pushed_frames(frames, layout: Optional[str], wanted: str):
    """Frames handed to a model (a live detector's ``push``, a whole stream), one frame (V, C)
    or frames (n, V, C) of ``layout``, as a contiguous, writable float32 (n, V, C) array of
    ``wanted``'s joints (:func:`frames_in_layout`); anything else is refused."""
    import numpy as np
    x = np.asarray(frames, np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f'expected one frame (V, C) or frames (n, V, C), got {x.shape}')
    if not len(x):
        return x
    x = np.ascontiguousarray(frames_in_layout(x, layout, wanted))
    return x if x.flags.writeable else x.copy()  # a memory-mapped store's frames: a copy
