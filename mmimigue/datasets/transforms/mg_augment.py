"""Micro-gesture (MG) skeleton augmentations of the dual-stream contrastive paper.

Section 4.1.1 of the identity-free emotion / dual-stream contrastive MG paper
(``papers/identity_free_emotion_ai_dual_stream_contrastive.txt``, equations 2-8) defines six
augmentations designed for micro-gestures (tiny, individual, short, repetitive movements):

* perturbations: :class:`MGCoordinatePerturb` (eq. 2-3) and :class:`MGViewPerturb` (eq. 4-6);
* body shape: :class:`MGStretch` (eq. 7-8);
* temporal: :class:`MGRepeatClip`, :class:`MGReverseClip` and :class:`MGPosterizeTime`.

All of them are ordinary mmaction2 pipeline steps. They act on ``keypoint`` of shape
``(M, T, V, C)`` (persons, frames, joints, channels) and keep ``keypoint_score`` ``(M, T, V)``
consistent: temporal transforms move every frame's scores with its keypoints; spatial transforms
change coordinates only. Put them where ``keypoint`` holds coordinates only, i.e. after
``PreNormalize2D``/``PreNormalize3D`` (whole clip) or after ``PoseDecode`` (sampled frames,
cheaper), and before ``GenSkeFeat``/``MGGenSkeFeat``/``FormatGCNInput`` (which append the score
as an extra channel). If they must run on a ``keypoint`` whose trailing channels are not
coordinates, pass ``coord_dims`` (the number of leading coordinate channels); the other channels
are left untouched by spatial transforms and moved with their frames by temporal ones.

2D keypoints (C = 2): rotations and stretches lift each point to ``z = 0`` relative to the pivot
joint, apply the 3x3 matrix of the paper and project back orthographically (drop ``z``). This is
exactly the upper-left 2x2 block of the matrix acting on ``(x, y)``: in-plane (Z) rotations keep
bone lengths, out-of-plane (X/Y) rotations foreshorten the skeleton as a real view change would.

Randomness is drawn from numpy's global RNG (``np.random``), like mmaction2's own transforms, so
``randomness=dict(seed=...)`` in a config makes runs reproducible. Every transform splits into
``sample_params(...)`` (all random draws) and ``apply(results, params)`` (deterministic), so one
draw can be replayed (tests, visualisation).

Frame/length arguments accept an ``int`` (frames) or a ``float`` in ``[0, 1]`` (a fraction of the
clip length ``T`` the transform sees), so one config works before and after frame sampling.
"""
import math
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

Frames = Union[int, float]
AXES = ('x', 'y', 'z')
_OFF_DIAGONAL = np.array([1, 2, 3, 5, 6, 7])  # flat indices of a 3x3 matrix's off-diagonal


def _to_frames(value: Frames, num_frames: int) -> int:
    """Resolve an ``int`` frame count or a ``float`` fraction of ``num_frames`` to frames."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f'expected frames (int) or a fraction (float), got {value!r}')
    if isinstance(value, (float, np.floating)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f'a fractional frame argument must lie in [0, 1], got {value}; '
                             'pass an int for a number of frames')
        return int(round(value * num_frames))
    return int(value)


def _check_range(name: str, rng: Sequence[float], low: float = -math.inf) -> Tuple[float, float]:
    if len(rng) != 2 or rng[0] > rng[1] or rng[0] < low:
        raise ValueError(f'{name} must be a (min, max) pair with {low} <= min <= max, got {rng!r}')
    return float(rng[0]), float(rng[1])


def _check_frame_range(name: str, rng: Sequence[Frames]) -> Tuple[Frames, Frames]:
    if len(rng) != 2:
        raise ValueError(f'{name} must be a (min, max) pair, got {rng!r}')
    for v in rng:
        _to_frames(v, 1)  # type / fraction checks
        if v < 0:
            raise ValueError(f'{name} must be non-negative, got {rng!r}')
    return tuple(rng)


def _frame_range(rng: Tuple[Frames, Frames], num_frames: int) -> Tuple[int, int]:
    lo, hi = (_to_frames(v, num_frames) for v in rng)
    return min(lo, hi), max(lo, hi)


def _finite_norm(diff: np.ndarray) -> float:
    """Frobenius norm of ``diff`` with non-finite entries counted as 0 (never NaN)."""
    flat = diff.ravel()
    sq = float(flat.dot(flat))
    if not math.isfinite(sq):
        flat = flat[np.isfinite(flat)].astype(np.float64)
        sq = float(flat.dot(flat))
    return math.sqrt(sq) if math.isfinite(sq) else math.inf


def _randint(low: int, high: int) -> int:
    """Uniform integer in ``[low, high]`` (inclusive) from numpy's global RNG, cheaply."""
    return low + min(int(np.random.random() * (high - low + 1)), high - low)


def rotation_matrix(theta_x: float, theta_y: float, theta_z: float) -> np.ndarray:
    """``R_X(theta_x) @ R_Y(theta_y) @ R_Z(theta_z)`` with the matrices of eq. 4-6 (3x3).

    ``R_X = [[1, 0, 0], [0, cx, sx], [0, -sx, cx]]``, ``R_Y = [[cy, 0, -sy], [0, 1, 0],
    [sy, 0, cy]]``, ``R_Z = [[cz, sz, 0], [-sz, cz, 0], [0, 0, 1]]``; the product is written out.
    """
    cx, sx = math.cos(theta_x), math.sin(theta_x)
    cy, sy = math.cos(theta_y), math.sin(theta_y)
    cz, sz = math.cos(theta_z), math.sin(theta_z)
    return np.array([
        [cy * cz, cy * sz, -sy],
        [sx * sy * cz - cx * sz, sx * sy * sz + cx * cz, sx * cy],
        [cx * sy * cz + sx * sz, cx * sy * sz - sx * cz, cx * cy],
    ])


class BaseMGAugment(BaseTransform):
    """Shared plumbing of the MG augmentations: probability, key checks, coordinate channels.

    Subclasses implement ``sample_params(keypoint)`` (every random draw, returns a dict) and
    ``apply(results, params)`` (deterministic, returns ``results`` with new arrays; the input
    arrays are never modified in place).

    Args:
        p (float): Probability of applying the augmentation. Defaults to 1.0.
        coord_dims (int, optional): Number of leading channels of ``keypoint`` that are coordinates
            (2 or 3). ``None`` means all channels (C must then be 2 or 3). Defaults to None.
    """

    def __init__(self, p: float = 1.0, coord_dims: Optional[int] = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f'{type(self).__name__}: p must lie in [0, 1], got {p}')
        if coord_dims not in (None, 2, 3):
            raise ValueError(f'{type(self).__name__}: coord_dims must be None, 2 or 3, '
                             f'got {coord_dims!r}')
        self.p = p
        self.coord_dims = coord_dims

    # -- helpers ---------------------------------------------------------------------------
    def _keypoint(self, results: Dict) -> np.ndarray:
        name = type(self).__name__
        if 'keypoint' not in results:
            raise KeyError(f'{name} needs results["keypoint"] of shape (M, T, V, C); put it after '
                           'PoseDecode or PreNormalize2D/3D in the pipeline')
        kp = results['keypoint']
        if not isinstance(kp, np.ndarray) or kp.ndim != 4:
            shape = getattr(kp, 'shape', type(kp).__name__)
            raise ValueError(f'{name} needs keypoint of shape (M, T, V, C), got {shape}; put it '
                             'before FormatGCNInput (which adds a clip axis)')
        if 'keypoint_score' in results and results['keypoint_score'].shape != kp.shape[:3]:
            raise ValueError(f'{name}: keypoint_score shape {results["keypoint_score"].shape} does '
                             f'not match keypoint {kp.shape[:3]} (M, T, V)')
        return kp

    def _coords(self, kp: np.ndarray) -> int:
        c = kp.shape[-1]
        if self.coord_dims is None:
            if c not in (2, 3):
                raise ValueError(
                    f'{type(self).__name__}: keypoint has {c} channels, expected 2 or 3 '
                    'coordinates; place MG augmentations before GenSkeFeat/FormatGCNInput or set '
                    'coord_dims=2 (x, y, score) / coord_dims=3')
            return c
        if self.coord_dims > c:
            raise ValueError(f'{type(self).__name__}: coord_dims={self.coord_dims} but keypoint '
                             f'has only {c} channels')
        return self.coord_dims

    def _apply_prob(self) -> bool:
        return self.p >= 1.0 or np.random.rand() < self.p

    def transform(self, results: Dict) -> Dict:
        """Draw parameters and apply the augmentation with probability ``p``."""
        kp = self._keypoint(results)
        if not self._apply_prob():
            return results
        return self.apply(results, self.sample_params(kp))

    def sample_params(self, keypoint: np.ndarray) -> Dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, results: Dict, params: Dict) -> Dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_args(self) -> str:
        return ''

    def __repr__(self) -> str:
        args = self._repr_args()
        return (f'{type(self).__name__}({args}{", " if args else ""}p={self.p}, '
                f'coord_dims={self.coord_dims})')


class _PivotLinearAugment(BaseMGAugment):
    """A 3x3 linear map applied to coordinates about a per-frame pivot joint (rows: points)."""

    def __init__(self, center: Optional[int], p: float, coord_dims: Optional[int]) -> None:
        super().__init__(p=p, coord_dims=coord_dims)
        if center is not None and (not isinstance(center, (int, np.integer)) or center < 0):
            raise ValueError(f'{type(self).__name__}: center must be a joint index or None, '
                             f'got {center!r}')
        self.center = center

    def _transform_points(self, results: Dict, matrix: np.ndarray) -> Dict:
        """``x' = (x - pivot) @ matrix[:c, :c] + pivot`` on every point (2D: z = 0 lift)."""
        kp = self._keypoint(results)
        c = self._coords(kp)
        if kp.size == 0:
            return results
        if self.center is not None and self.center >= kp.shape[2]:
            raise ValueError(f'{type(self).__name__}: center joint {self.center} is out of '
                             f'range for V={kp.shape[2]} joints; set center= for your layout '
                             '(imigue22/body25: 1, coco: 0, ntu25: 20) or None for the origin')
        mat = np.asarray(matrix[:c, :c], dtype=kp.dtype)
        full = c == kp.shape[-1]
        xyz = kp if full else kp[..., :c]
        moved = xyz.reshape(-1, c).dot(mat).reshape(xyz.shape)
        if self.center is not None:
            # (x - p) A + p  ==  x A + (p - p A): one pass over the points, the rest per frame
            pivot = kp[:, :, self.center:self.center + 1, :c]
            offset = pivot - pivot.dot(mat)
            if not math.isfinite(float(offset.sum())):  # a missing pivot -> the origin
                offset = np.where(np.isfinite(offset), offset, 0).astype(kp.dtype)
            moved += offset
        if full:
            results['keypoint'] = moved
        else:
            out = kp.copy()
            out[..., :c] = moved
            results['keypoint'] = out
        return results


@TRANSFORMS.register_module()
class MGCoordinatePerturb(BaseMGAugment):
    """Coordinate perturbation (eq. 2-3): move ``m`` random joints by a time-constant offset.

    The perturbation coefficient follows eq. 2 from the start, middle and final frames
    (``L_sta = x[:, 0]``, ``L_mid = x[:, T // 2]``, ``L_fin = x[:, T - 1]``, all persons and
    joints)::

        lambda = (1 / tau) * ||L_fin - L_mid|| / ||L_mid - L_sta||

    (Frobenius norms reduce the frame matrices of eq. 2 to a scalar; the sign is irrelevant because
    ``R`` is symmetric.) The ratio is clipped to ``[0, max_ratio]``; a (near) zero denominator
    (``< eps``: static or one-frame clip) gives 0 when the numerator is also below ``eps`` and
    ``max_ratio`` otherwise. Non-finite coordinates count as 0 in the norms, so ``lambda`` is always
    finite. Then (eq. 3) ``m`` distinct joints ``n`` are drawn; each (person, joint) gets its own
    ``R ~ U[-1, 1]^C`` (times ``scale``) and ``x_n <- x_n + lambda * R`` in every frame.

    Required Keys:
        - keypoint
    Modified Keys:
        - keypoint

    Args:
        num_joints (int): ``m``, the number of perturbed joints (clipped to V). The paper names
            ``m`` without a value; defaults to 4.
        temperature (float): ``tau`` of eq. 2. The paper gives no value; 20 gives offsets of about
            0.05 for a round-trip motion on ``PreNormalize2D``/metre-scale coordinates.
        max_ratio (float): Upper clip of the frame-difference ratio. Defaults to 3.0.
        scale (float): Multiplier of ``R`` (the paper's ``U[-1, 1]`` is ``scale=1``); raise it for
            raw pixel coordinates. Defaults to 1.0.
        eps (float): Threshold for a zero denominator. Defaults to 1e-6.
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, num_joints: int = 4, temperature: float = 20.0, max_ratio: float = 3.0,
                 scale: float = 1.0, eps: float = 1e-6, p: float = 1.0,
                 coord_dims: Optional[int] = None) -> None:
        super().__init__(p=p, coord_dims=coord_dims)
        if num_joints < 0:
            raise ValueError(f'MGCoordinatePerturb: num_joints must be >= 0, got {num_joints}')
        if temperature <= 0 or max_ratio < 0 or eps <= 0:
            raise ValueError('MGCoordinatePerturb: temperature and eps must be > 0 and '
                             f'max_ratio >= 0, got {temperature}, {eps}, {max_ratio}')
        self.num_joints = int(num_joints)
        self.temperature = float(temperature)
        self.max_ratio = float(max_ratio)
        self.scale = float(scale)
        self.eps = float(eps)

    def perturbation_coefficient(self, coords: np.ndarray) -> float:
        """``lambda`` of eq. 2 for coordinates ``(M, T, V, c)``; finite for any input."""
        num_frames = coords.shape[1]
        if num_frames == 0:
            return 0.0
        mid = coords[:, num_frames // 2]
        num, den = _finite_norm(coords[:, -1] - mid), _finite_norm(mid - coords[:, 0])
        if den < self.eps:
            ratio = 0.0 if num < self.eps else self.max_ratio
        else:
            ratio = num / den
            ratio = self.max_ratio if math.isnan(ratio) else min(ratio, self.max_ratio)
        return ratio / self.temperature

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw the ``m`` joints and their perturbation vectors ``R`` (M, m, c)."""
        m_persons, _, num_joints, _ = keypoint.shape
        c = self._coords(keypoint)
        m = min(self.num_joints, num_joints)
        joints = np.random.permutation(num_joints)[:m]
        vectors = np.random.uniform(-self.scale, self.scale, size=(m_persons, m, c))
        return dict(joints=joints, vectors=vectors)

    def apply(self, results: Dict, params: Dict) -> Dict:
        """Add ``lambda * R`` to the chosen joints in every frame."""
        kp = self._keypoint(results)
        c = self._coords(kp)
        if kp.shape[1] == 0 or len(params['joints']) == 0:
            return results
        lam = self.perturbation_coefficient(kp if c == kp.shape[-1] else kp[..., :c])
        offset = np.zeros((kp.shape[0], 1) + kp.shape[2:], dtype=kp.dtype)  # (M, 1, V, C)
        offset[:, 0, params['joints'], :c] = lam * params['vectors']
        results['keypoint'] = kp + offset  # the same offset in every frame
        return results

    def _repr_args(self) -> str:
        return (f'num_joints={self.num_joints}, temperature={self.temperature}, '
                f'max_ratio={self.max_ratio}, scale={self.scale}, eps={self.eps}')


@TRANSFORMS.register_module()
class MGViewPerturb(_PivotLinearAugment):
    """View perturbation (eq. 4-6): Euler rotation about all three axes, one of them wide.

    ``R = R_X(theta_x) R_Y(theta_y) R_Z(theta_z)`` with the matrices of eq. 4-6; the wide axis'
    angle is drawn from ``U[-wide_range, wide_range]`` and the other two from
    ``U[-narrow_range, narrow_range]``. The same rotation is applied to every frame (the MG stays
    consistent), about the per-frame position of the ``center`` joint (so the centre joint is fixed
    and bone lengths are preserved in 3D): ``x' = (x - x_center) R^T + x_center``. A non-finite
    centre falls back to the origin for that frame.

    The paper's printed ranges are garbled ("one dimension at [-pi, pi] and the remaining two at
    [-pi/k, pi/k]" with ``k`` unreadable). Defaults: ``wide_range=pi`` (the legible part) and
    ``narrow_range=pi/6``; for frontal 2D data (iMiGUE) a milder ``wide_range=pi/6,
    narrow_range=pi/18`` keeps the upper body recognisable. 2D keypoints are lifted to ``z = 0``
    about the centre joint, rotated in 3D and projected back orthographically.

    Required Keys:
        - keypoint
    Modified Keys:
        - keypoint

    Args:
        wide_range (float): Half-range (radians) of the wide axis. Defaults to pi.
        narrow_range (float): Half-range (radians) of the two other axes. Defaults to pi / 6.
        wide_axis (str, optional): 'x', 'y' or 'z'; ``None`` draws it per sample. Defaults to None.
        center (int, optional): Pivot joint (imigue22/body25/openpose137: 1 = neck; coco: 0;
            ntu25: 20). ``None`` rotates about the origin. Defaults to 1.
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, wide_range: float = math.pi, narrow_range: float = math.pi / 6,
                 wide_axis: Optional[str] = None, center: Optional[int] = 1, p: float = 1.0,
                 coord_dims: Optional[int] = None) -> None:
        super().__init__(center=center, p=p, coord_dims=coord_dims)
        if wide_range < 0 or narrow_range < 0:
            raise ValueError('MGViewPerturb: angle ranges must be >= 0, got '
                             f'{wide_range}, {narrow_range}')
        if wide_axis is not None and wide_axis not in AXES:
            raise ValueError(f"MGViewPerturb: wide_axis must be 'x', 'y', 'z' or None, "
                             f'got {wide_axis!r}')
        self.wide_range = float(wide_range)
        self.narrow_range = float(narrow_range)
        self.wide_axis = wide_axis

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw the wide axis and the three Euler angles."""
        axis = _randint(0, 2) if self.wide_axis is None else AXES.index(self.wide_axis)
        angles = (2 * np.random.random(3) - 1) * self.narrow_range
        angles[axis] = (2 * np.random.random() - 1) * self.wide_range
        return dict(wide_axis=AXES[axis], angles=angles)

    def apply(self, results: Dict, params: Dict) -> Dict:
        """Rotate every frame by ``rotation_matrix(*angles)`` about the centre joint."""
        rot = rotation_matrix(*params['angles'])
        return self._transform_points(results, rot.T)  # row vectors: x' = x R^T

    def _repr_args(self) -> str:
        return (f'wide_range={self.wide_range:.4f}, narrow_range={self.narrow_range:.4f}, '
                f'wide_axis={self.wide_axis}, center={self.center}')


@TRANSFORMS.register_module()
class MGStretch(_PivotLinearAugment):
    """Stretch (eq. 7-8): a body-shape scaling or a tilt (shear) matrix, one of the two at random.

    ``A_shape = diag(alpha, beta, gamma)`` with ``alpha, beta, gamma ~ U[shape_range]`` (paper:
    ``[1, 2]``) and ``A_tilt = [[1, t_xy, t_xz], [t_yx, 1, t_yz], [t_zx, t_zy, 1]]`` with the six
    ``t ~ U[tilt_range]`` (paper: ``[-1, 1]``); each sample uses ``A_shape`` with probability
    ``shape_prob`` (paper: one of the two at random, 0.5). The paper multiplies ``X A`` (rows are
    points); we do so about the per-frame ``center`` joint, ``x' = (x - x_center) A + x_center``,
    so the body changes shape without drifting across the image (``center=None`` is the paper's
    plain ``X A`` about the origin). 2D: lift to ``z = 0``, apply, drop ``z`` (the 2x2 block).

    Required Keys:
        - keypoint
    Modified Keys:
        - keypoint

    Args:
        shape_range (tuple[float, float]): Range of alpha, beta, gamma. Defaults to (1.0, 2.0).
        tilt_range (tuple[float, float]): Range of the six shear factors. Defaults to (-1.0, 1.0).
        shape_prob (float): Probability of the shape matrix (else tilt). Defaults to 0.5.
        center (int, optional): Pivot joint, see :class:`MGViewPerturb`. Defaults to 1.
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, shape_range: Tuple[float, float] = (1.0, 2.0),
                 tilt_range: Tuple[float, float] = (-1.0, 1.0), shape_prob: float = 0.5,
                 center: Optional[int] = 1, p: float = 1.0,
                 coord_dims: Optional[int] = None) -> None:
        super().__init__(center=center, p=p, coord_dims=coord_dims)
        self.shape_range = _check_range('MGStretch shape_range', shape_range)
        self.tilt_range = _check_range('MGStretch tilt_range', tilt_range)
        if not 0.0 <= shape_prob <= 1.0:
            raise ValueError(f'MGStretch: shape_prob must lie in [0, 1], got {shape_prob}')
        self.shape_prob = float(shape_prob)

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw the kind ('shape' or 'tilt') and its 3x3 matrix."""
        if np.random.random() < self.shape_prob:
            return dict(kind='shape', matrix=np.diag(np.random.uniform(*self.shape_range, 3)))
        matrix = np.ones(9)
        matrix[_OFF_DIAGONAL] = np.random.uniform(*self.tilt_range, 6)
        matrix = matrix.reshape(3, 3)
        return dict(kind='tilt', matrix=matrix)

    def apply(self, results: Dict, params: Dict) -> Dict:
        """Multiply every point (relative to the centre joint) by the drawn matrix."""
        return self._transform_points(results, np.asarray(params['matrix'], dtype=np.float64))

    def _repr_args(self) -> str:
        return (f'shape_range={self.shape_range}, tilt_range={self.tilt_range}, '
                f'shape_prob={self.shape_prob}, center={self.center}')


class _TemporalAugment(BaseMGAugment):
    """Temporal augmentations: a frame index map applied to keypoint and keypoint_score."""

    def _take_frames(self, results: Dict, frame_inds: np.ndarray) -> Dict:
        results['keypoint'] = results['keypoint'][:, frame_inds]
        if 'keypoint_score' in results:
            results['keypoint_score'] = results['keypoint_score'][:, frame_inds]
        return results

    def frame_indices(self, num_frames: int, params: Dict) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def apply(self, results: Dict, params: Dict) -> Dict:
        """Reorder frames by :meth:`frame_indices` (keypoints and scores together)."""
        kp = self._keypoint(results)
        self._coords(kp)
        num_frames = kp.shape[1]
        if num_frames == 0:
            return results
        inds = self.frame_indices(num_frames, params)
        assert len(inds) == num_frames
        return self._take_frames(results, inds)


@TRANSFORMS.register_module()
class MGRepeatClip(_TemporalAugment):
    """Repeat clip: play a random segment twice, then resample to the original length.

    The segment starts at ``L_i ~ U{0..L_s}`` (``start_max``) and lasts
    ``L_r ~ U{len_range}`` frames (clipped so that it fits: ``L_i + L_r <= T``). The segment is
    inserted again right after itself (``repeats`` extra copies), giving ``T + repeats * L_r``
    frames, which are down-sampled uniformly (nearest frame, ``linspace`` over the long sequence)
    back to ``T``: the first and last frames are kept and the overall trend is preserved. No
    interpolation: every output frame is an input frame with its own scores.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
    Modified Keys:
        - keypoint
        - keypoint_score (optional)

    Args:
        start_max (int | float): ``L_s``, the latest start (frames, or fraction of T). The paper
            gives no value; defaults to 0.5.
        len_range (tuple): ``[L_low, L_high]`` segment length (frames or fractions of T). The
            paper gives no value; defaults to (0.1, 0.3).
        repeats (int): Extra copies of the segment. Defaults to 1.
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, start_max: Frames = 0.5, len_range: Tuple[Frames, Frames] = (0.1, 0.3),
                 repeats: int = 1, p: float = 1.0, coord_dims: Optional[int] = None) -> None:
        super().__init__(p=p, coord_dims=coord_dims)
        _to_frames(start_max, 1)
        if start_max < 0:
            raise ValueError(f'MGRepeatClip: start_max must be >= 0, got {start_max}')
        self.start_max = start_max
        self.len_range = _check_frame_range('MGRepeatClip len_range', len_range)
        if repeats < 1:
            raise ValueError(f'MGRepeatClip: repeats must be >= 1, got {repeats}')
        self.repeats = int(repeats)

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw ``start`` and ``length`` of the repeated segment for ``T`` frames."""
        num_frames = keypoint.shape[1]
        if num_frames == 0:
            return dict(start=0, length=0)
        start = _randint(0, min(_to_frames(self.start_max, num_frames), num_frames - 1))
        lo, hi = _frame_range(self.len_range, num_frames)
        length = min(_randint(lo, hi), num_frames - start)
        return dict(start=int(start), length=int(length))

    def frame_indices(self, num_frames: int, params: Dict) -> np.ndarray:
        """Indices of the repeated-then-resampled sequence (length ``num_frames``)."""
        start, length = params['start'], params['length']
        if length <= 0:
            return np.arange(num_frames)
        seg = np.arange(start, start + length)
        long_seq = np.concatenate([np.arange(start + length), np.tile(seg, self.repeats),
                                   np.arange(start + length, num_frames)])
        pick = np.rint(np.linspace(0, len(long_seq) - 1, num_frames)).astype(np.int64)
        return long_seq[pick]

    def _repr_args(self) -> str:
        return f'start_max={self.start_max}, len_range={self.len_range}, repeats={self.repeats}'


@TRANSFORMS.register_module()
class MGReverseClip(_TemporalAugment):
    """Reverse clip: invert a random segment of length ``L_r`` and put it back in place.

    ``L_r ~ U{len_range}`` (clipped to T), start ``~ U{0..T - L_r}``. Applying it twice with the
    same draw is the identity.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
    Modified Keys:
        - keypoint
        - keypoint_score (optional)

    Args:
        len_range (tuple): Segment length range (frames or fractions of T). The paper gives no
            value; defaults to (0.2, 0.5).
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, len_range: Tuple[Frames, Frames] = (0.2, 0.5), p: float = 1.0,
                 coord_dims: Optional[int] = None) -> None:
        super().__init__(p=p, coord_dims=coord_dims)
        self.len_range = _check_frame_range('MGReverseClip len_range', len_range)

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw ``start`` and ``length`` of the reversed segment."""
        num_frames = keypoint.shape[1]
        lo, hi = _frame_range(self.len_range, num_frames)
        length = min(_randint(lo, hi), num_frames)
        start = _randint(0, num_frames - length)
        return dict(start=int(start), length=int(length))

    def frame_indices(self, num_frames: int, params: Dict) -> np.ndarray:
        """Identity indices with ``[start, start + length)`` reversed."""
        inds = np.arange(num_frames)
        start, length = params['start'], params['length']
        inds[start:start + length] = inds[start:start + length][::-1]
        return inds

    def _repr_args(self) -> str:
        return f'len_range={self.len_range}'


@TRANSFORMS.register_module()
class MGPosterizeTime(_TemporalAugment):
    """Posterize time: keep both ends, re-time the middle with random per-segment speeds.

    A head of ``h ~ U{end_len_range}`` frames and a tail of ``e ~ U{end_len_range}`` frames are
    kept unchanged (the MG's overall trend stays). The middle ``S = T - h - e`` frames are cut into
    ``k ~ U{num_segments}`` segments at uniformly random cut points; segment ``i`` is played at
    speed ``s_i ~ U[speed_range]`` (output share proportional to ``length_i / s_i``, normalised so
    the middle still spans ``S`` output frames): some parts slow down (frames held), others speed
    up (frames skipped). The map is monotone and picks whole input frames (nearest, no
    interpolation), so the output has T frames and scores follow their keypoints.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
    Modified Keys:
        - keypoint
        - keypoint_score (optional)

    Args:
        end_len_range (tuple): Length range of each kept end segment (frames or fractions of T).
            The paper gives no value; defaults to (0.05, 0.15).
        num_segments (tuple[int, int]): Range of the number of re-timed middle segments.
            Defaults to (2, 4).
        speed_range (tuple[float, float]): Range of the per-segment speed. Defaults to (0.5, 2.0).
        p (float): Probability of applying. Defaults to 1.0.
        coord_dims (int, optional): See :class:`BaseMGAugment`.
    """

    def __init__(self, end_len_range: Tuple[Frames, Frames] = (0.05, 0.15),
                 num_segments: Tuple[int, int] = (2, 4),
                 speed_range: Tuple[float, float] = (0.5, 2.0), p: float = 1.0,
                 coord_dims: Optional[int] = None) -> None:
        super().__init__(p=p, coord_dims=coord_dims)
        self.end_len_range = _check_frame_range('MGPosterizeTime end_len_range', end_len_range)
        lo, hi = _check_range('MGPosterizeTime num_segments', num_segments, low=1)
        self.num_segments = (int(lo), int(hi))
        self.speed_range = _check_range('MGPosterizeTime speed_range', speed_range)
        if self.speed_range[0] <= 0:
            raise ValueError(f'MGPosterizeTime: speeds must be > 0, got {speed_range}')

    def sample_params(self, keypoint: np.ndarray) -> Dict:
        """Draw head/tail lengths, middle cut points and per-segment speeds."""
        num_frames = keypoint.shape[1]
        lo, hi = _frame_range(self.end_len_range, num_frames)
        head, tail = _randint(lo, hi), _randint(lo, hi)
        middle = num_frames - head - tail
        if middle < 2:
            return dict(head=0, tail=0, cuts=np.zeros(0, np.int64), speeds=np.ones(1))
        k = min(_randint(*self.num_segments), middle)
        cuts = np.sort(np.random.uniform(0, middle, k - 1))  # knots of a piecewise-linear map
        speeds = np.random.uniform(*self.speed_range, size=k)
        return dict(head=head, tail=tail, cuts=cuts, speeds=speeds)

    def frame_indices(self, num_frames: int, params: Dict) -> np.ndarray:
        """Head and tail unchanged; the middle re-timed piecewise-linearly."""
        head, tail = params['head'], params['tail']
        middle = num_frames - head - tail
        if middle < 1:
            return np.arange(num_frames)
        # k + 1 knots: plain Python arithmetic is cheaper than numpy calls at this size
        src_knots = [0.0] + [float(c) for c in params['cuts']] + [float(middle)]
        out_knots = [0.0]
        for a, b, speed in zip(src_knots[:-1], src_knots[1:], params['speeds']):
            out_knots.append(out_knots[-1] + (b - a) / float(speed))
        out_knots = [v * middle / out_knots[-1] for v in out_knots]
        # output frame j covers [j, j + 1): take the input frame under its centre
        src = np.interp(np.arange(0.5, middle), out_knots, src_knots).astype(np.int64)
        inds = np.arange(num_frames)
        inds[head:head + middle] = np.minimum(src, middle - 1) + head
        return inds

    def _repr_args(self) -> str:
        return (f'end_len_range={self.end_len_range}, num_segments={self.num_segments}, '
                f'speed_range={self.speed_range}')
