"""From a raw video to a micro-gesture timeline and a video-level emotion estimate.

Usage::

    python tools/demo/video_demo.py VIDEO CONFIG CKPT --out-dir OUT
        [--emotion-config CFG --emotion-ckpt CKPT] [--skeleton-dir DIR]
        [--window 64] [--stride 16] [--topk 3] [--mg-threshold 0] [--out-video]
        [--max-frames N] [--batch-size 8] [--device cpu] [--cfg-options k=v ...]

1. Skeletons: ``--skeleton-dir DIR`` reuses OpenPose JSON (``DIR/<video_id>/*_keypoints.json``
   or the frame files directly in ``DIR``, e.g. from ``tools/data/extract_pose.py`` or from
   OpenPose itself); without it the frames are extracted with MediaPipe Holistic into
   ``OUT/skeleton`` first (needs ``pip install -e .[pose]``).
2. Frames are read with the iMiGUE converter's frame parser
   (:func:`mmimigue.datasets.formats.parse_openpose_frame`), so detector
   output is treated exactly as in training (empty frames, several people, missing files).
3. Sliding windows of ``--window`` frames every ``--stride`` frames cover the whole video (the
   last window ends at the last frame). Each window becomes a clip of the converter's schema,
   reduced to the config's joint layout, and goes through the config's **test** pipeline and the
   clip model. Windows without any detected person get no prediction.
4. Consecutive windows with the same top-1 MG are merged into segments.
5. With ``--emotion-config/--emotion-ckpt`` the windows' outputs (the emotion config's
   ``modality``: ``prob``, ``score`` or ``pred_label``) form the video's sequence for the emotion
   model (docs/emotion.md); windows whose top-1 probability is below ``--mg-threshold`` are
   left out of it.

Writes ``OUT/<video_id>_timeline.json``, ``OUT/<video_id>_timeline.png`` and, with
``--out-video``, ``OUT/<video_id>_annotated.mp4`` (skeleton and current top-1 MG drawn).
"""
import argparse
import copy
import json
import os
import os.path as osp
import sys
import time
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

_REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if _REPO_ROOT not in sys.path:  # allow running from a checkout without installing
    sys.path.insert(0, _REPO_ROOT)

import mmimigue  # noqa: E402,F401  (compat shims + registration)
from mmimigue.datasets.formats import (  # noqa: E402
    ConversionError, list_frames, parse_openpose_frame)
from mmimigue.graphs import LAYOUTS, NUM_OPENPOSE_KEYPOINTS, layout_indices  # noqa: E402

#: Pipeline steps that load stored data; the demo builds the clip in memory instead.
_LOADING_TRANSFORMS = ('MGLoadStoredKeypoints', )
_RGB_TRANSFORMS = ('DecordInit', 'DecordDecode', 'OpenCVInit', 'PyAVInit', 'RawFrameDecode',
                   'MGDecordClipInit')
_EMOTION_MODALITIES = ('prob', 'score', 'pred_label')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video', help='input video (fps, size, frames for --out-video)')
    parser.add_argument('config', help='clip-level skeleton MG model config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('--out-dir', required=True, help='where the results go')
    parser.add_argument('--emotion-config', default=None, help='video-level emotion config')
    parser.add_argument('--emotion-ckpt', default=None, help='its checkpoint')
    parser.add_argument('--skeleton-dir', default=None,
                        help='existing OpenPose JSON (DIR/<video_id>/ or the frames in DIR); '
                        'extracted with MediaPipe into OUT/skeleton when omitted')
    parser.add_argument('--video-id', default=None, help='default: the video file name stem')
    parser.add_argument('--window', type=int, default=64, help='window length in frames')
    parser.add_argument('--stride', type=int, default=16, help='window stride in frames')
    parser.add_argument('--topk', type=int, default=3, help='MGs listed per window')
    parser.add_argument('--mg-threshold', type=float, default=0.0,
                        help='windows whose top-1 probability is lower are left out of the '
                        'emotion sequence (default 0: all windows with a person)')
    parser.add_argument('--fps', type=float, default=None, help='override the video fps')
    parser.add_argument('--max-frames', type=int, default=None,
                        help='extract / use at most this many frames')
    parser.add_argument('--out-video', action='store_true', help='also write an annotated video')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the clip config, key=value')
    args = parser.parse_args(argv)
    if (args.emotion_config is None) != (args.emotion_ckpt is None):
        parser.error('--emotion-config and --emotion-ckpt go together')
    if args.window < 1 or args.stride < 1:
        parser.error('--window and --stride must be >= 1')
    return args


# ----------------------------------------------------------------------------- skeletons
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


def find_frame_dir(skeleton_dir: str, video_id: str) -> str:
    """``skeleton_dir/<video_id>`` if it holds frame files, else ``skeleton_dir`` itself."""
    for cand in (osp.join(skeleton_dir, video_id), skeleton_dir):
        if osp.isdir(cand) and list_frames(cand):
            return cand
    raise FileNotFoundError(
        f'no OpenPose frame files (<id>_<12-digit frame>_keypoints.json) in '
        f'{osp.join(skeleton_dir, video_id)} or {skeleton_dir}; extract them with '
        '`python tools/data/extract_pose.py VIDEO DIR` or omit --skeleton-dir')


def load_skeleton_sequence(frame_dir: str, max_frames: Optional[int] = None
                           ) -> Tuple[np.ndarray, int, Counter]:
    """All frames of one video -> ((T, 137, 3) keypoints, first frame index, counts).

    Frames run from the first to the last frame file; missing files become zeros with score 0
    and are counted (``missing_frames``) like the converter does.
    """
    frames = list_frames(frame_dir)
    first, last = min(frames), max(frames)
    if max_frames is not None:
        last = min(last, first + max_frames - 1)
    counts: Counter = Counter()
    seq = np.zeros((last - first + 1, NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    for t in range(first, last + 1):
        path = frames.get(t)
        if path is None:
            counts['missing_frames'] += 1
            continue
        seq[t - first] = parse_openpose_frame(path, counts)
    return seq, first, counts


def window_starts(num_frames: int, window: int, stride: int) -> List[int]:
    """Window starts covering ``num_frames`` frames; the last window ends at the last frame."""
    if num_frames <= window:
        return [0]
    starts = list(range(0, num_frames - window + 1, stride))
    if starts[-1] + window < num_frames:
        starts.append(num_frames - window)
    return starts


def window_clip(seq: np.ndarray, start: int, window: int, joints: Optional[List[int]],
                img_shape: Tuple[int, int], name: str) -> Dict:
    """One window as a clip of the converter's schema, reduced to the layout's joints."""
    part = seq[start:start + window]
    if joints is not None:
        part = part[:, joints]
    return dict(frame_dir=name, total_frames=len(part), img_shape=tuple(img_shape),
                original_shape=tuple(img_shape), keypoint=part[None, ..., :2].copy(),
                keypoint_score=part[None, ..., 2].copy(), start_frame=start,
                end_frame=start + len(part) - 1)


# ----------------------------------------------------------------------------- models
def build_model(config, checkpoint: str, device: str, cfg_options: Optional[Dict] = None):
    """Build a recognizer from a config (path or Config) and load its checkpoint."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint
    from mmaction.registry import MODELS
    cfg = config if isinstance(config, Config) else Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'{checkpoint}: checkpoint not found')
    try:  # strict: a checkpoint trained with other settings must not run half random
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True,
                        revise_keys=[(r'^module\.', '')], logger='silent')
    except RuntimeError as e:
        first = next((ln.strip() for ln in str(e).splitlines()[1:] if ln.strip()), str(e))
        raise SystemExit(f'{checkpoint} does not match {cfg.filename} ({first}); pass the config '
                         'saved beside the checkpoint (its work dir), or the --cfg-options it '
                         'was trained with') from None
    return cfg, model.to(device).eval()


def clip_test_pipeline(cfg) -> Tuple[List[Dict], str]:
    """The config's test pipeline (stored-keypoint loaders dropped) and its joint layout."""
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    if loader is None:
        raise ValueError(f'{cfg.filename}: no test_dataloader / val_dataloader to take the test '
                         'pipeline from')
    ds = loader['dataset']
    while 'pipeline' not in ds and 'dataset' in ds:  # wrappers (RepeatDataset, ...)
        ds = ds['dataset']
    pipeline = [copy.deepcopy(t) for t in ds.get('pipeline', [])
                if t.get('type') not in _LOADING_TRANSFORMS]
    rgb = [t['type'] for t in pipeline if t.get('type') in _RGB_TRANSFORMS]
    if rgb:
        raise ValueError(f'{cfg.filename}: the test pipeline decodes video ({rgb}); the demo '
                         'runs skeleton-based clip models')
    layout = ds.get('layout', 'imigue22')
    if layout not in LAYOUTS or max(layout_indices(layout)) >= NUM_OPENPOSE_KEYPOINTS or \
            layout == 'ntu25':
        raise ValueError(f'{cfg.filename}: layout {layout!r} is not a subset of the OpenPose '
                         "points the demo extracts; use an iMiGUE config ('imigue22', 'body25', "
                         "'openpose137')")
    return pipeline, layout


def class_names(cfg, num_classes: int) -> List[str]:
    """Class names from the test dataset's metainfo (iMiGUE names for 32 classes)."""
    from mmaction.registry import DATASETS
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader') or {}
    ds_type = loader.get('dataset', {}).get('type')
    cls = DATASETS.get(ds_type) if isinstance(ds_type, str) else None
    names = list(getattr(cls, 'METAINFO', {}).get('classes', ()) or ())
    if len(names) != num_classes:
        from mmimigue.protocol import IMIGUE_NUM_CLASSES, imigue_class_names
        names = (list(imigue_class_names()) if num_classes == IMIGUE_NUM_CLASSES else
                 [str(i) for i in range(num_classes)])
    return names


def to_probability(scores: np.ndarray) -> np.ndarray:
    """Rows that already form distributions are kept, others go through softmax."""
    scores = np.asarray(scores, np.float64)
    is_dist = (scores.min(-1) >= 0) & (np.abs(scores.sum(-1) - 1) < 1e-3)
    e = np.exp(scores - scores.max(-1, keepdims=True))
    soft = e / e.sum(-1, keepdims=True)
    return np.where(is_dist[:, None], scores, soft).astype(np.float32)


def run_windows(model, pipeline_cfg: List[Dict], clips: Sequence[Dict], batch_size: int
                ) -> np.ndarray:
    """Class scores (N, K) of the clips (averaged over test views)."""
    from mmengine.dataset import Compose, pseudo_collate
    pipeline = Compose(pipeline_cfg)
    out = []
    with torch.no_grad():
        for i in range(0, len(clips), batch_size):
            batch = pseudo_collate([pipeline(copy.deepcopy(c)) for c in clips[i:i + batch_size]])
            for sample in model.test_step(batch):
                score = sample.pred_score.detach().float().cpu().numpy()
                out.append(score.reshape(-1, score.shape[-1]).mean(0))
    return np.stack(out) if out else np.zeros((0, 0), np.float32)


def emotion_estimate(emo_cfg, emo_model, scores: np.ndarray, probs: np.ndarray) -> Dict:
    """Run the emotion model on the windows' sequence; returns ``{label, prob_win, ...}``."""
    from mmaction.structures import ActionDataSample
    from mmimigue.datasets.imigue_emotion_dataset import emotion_pad_collate
    loader = emo_cfg.get('test_dataloader') or emo_cfg.get('val_dataloader') or {}
    modality = loader.get('dataset', {}).get('modality', 'pred_label')
    if modality not in _EMOTION_MODALITIES:
        raise ValueError(f'{emo_cfg.filename}: emotion modality {modality!r} cannot be built '
                         f'from a clip model at inference time; use one of '
                         f'{_EMOTION_MODALITIES}')
    seq = dict(prob=torch.from_numpy(probs), score=torch.from_numpy(scores.astype(np.float32)),
               pred_label=torch.from_numpy(probs.argmax(-1).astype(np.int64)))[modality]
    batch = emotion_pad_collate([dict(inputs=dict(seq=seq), data_samples=ActionDataSample())])
    with torch.no_grad():
        sample = emo_model.test_step(batch)[0]
    p = to_probability(sample.pred_score.detach().float().cpu().numpy().reshape(1, -1))[0]
    classes = ('lose', 'win')
    return dict(label=classes[int(p.argmax())], prob_win=float(p[1]), prob_lose=float(p[0]),
                modality=modality, num_windows=int(len(seq)))


# ----------------------------------------------------------------------------- timeline
def merge_segments(windows: Sequence[Dict]) -> List[Dict]:
    """Consecutive windows with the same top-1 MG -> segments (windows without one split)."""
    segments: List[Dict] = []
    for w in windows:
        if not w['top']:
            continue
        top = w['top'][0]
        seg = segments[-1] if segments else None
        if seg and seg['label'] == top['label'] and seg['_last'] == w['index'] - 1:
            seg['end_frame'], seg['end_time'] = w['end_frame'], w['end_time']
            seg['_scores'].append(top['score'])
            seg['_last'] = w['index']
            continue
        segments.append(dict(label=top['label'], name=top['name'], start_frame=w['start_frame'],
                             end_frame=w['end_frame'], start_time=w['start_time'],
                             end_time=w['end_time'], _scores=[top['score']], _last=w['index']))
    for seg in segments:
        scores = seg.pop('_scores')
        seg.pop('_last')
        seg.update(score=float(np.mean(scores)), num_windows=len(scores))
    return segments


def plot_timeline(result: Dict, probs: np.ndarray, valid: np.ndarray, path: str,
                  max_classes: int = 8) -> None:
    """PNG: probabilities of the leading MGs over time, and the top-1 segments."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    windows, names = result['windows'], result['classes']
    centers = np.array([(w['start_time'] + w['end_time']) / 2 for w in windows])
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(12, 6), sharex=True,
                                   gridspec_kw=dict(height_ratios=[3, 1]))
    if valid.any():
        lead = np.argsort(-probs[valid].max(0))[:max_classes]
        for k in lead:
            ax1.plot(centers, np.where(valid, probs[:, k], np.nan), marker='o', ms=3,
                     label=names[k])
        ax1.legend(fontsize=7, loc='upper right', ncol=2)
    ax1.set_ylabel('MG probability')
    ax1.set_ylim(0, 1)
    emo = result.get('emotion')
    title = f"{result['video_id']}: micro-gesture timeline"
    if emo:
        title += f" | emotion: {emo['label']} (p(win)={emo['prob_win']:.2f})"
    ax1.set_title(title)
    cmap = plt.get_cmap('tab20')
    for seg in result['segments']:
        ax2.axvspan(seg['start_time'], seg['end_time'], ymin=0.1, ymax=0.9, alpha=0.6,
                    color=cmap(seg['label'] % 20))
        ax2.text((seg['start_time'] + seg['end_time']) / 2, 0.5, seg['name'], ha='center',
                 va='center', fontsize=6, rotation=90 if seg['end_time'] - seg['start_time'] <
                 0.1 * max(result['duration'], 1e-6) else 0)
    ax2.set_yticks([])
    ax2.set_xlabel('time (s)')
    ax2.set_xlim(0, max(result['duration'], 1e-6))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_annotated_video(video: str, seq: np.ndarray, first_frame: int, result: Dict,
                          path: str, fps: float) -> int:
    """Draw the skeleton and the current top-1 MG on the video frames; returns frames written."""
    import cv2
    edges = np.array([(a, b) for a, b in LAYOUTS['openpose137']['inward']
                      if a < 25 or a >= 95], np.int64)  # body + hands (the face is not mapped)
    windows = [w for w in result['windows'] if w['top']]
    centers = np.array([(w['start_frame'] + w['end_frame']) / 2 for w in windows])
    cap = cv2.VideoCapture(video)
    if first_frame > 0:
        cap.set(cv2.CAP_PROP_POS_FRAMES, first_frame)
    writer, written = None, 0
    for t in range(len(seq)):
        ok, img = cap.read()
        if not ok:
            break
        if writer is None:
            writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps or 25.0,
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
    if writer is not None:
        writer.release()
    return written


# ----------------------------------------------------------------------------- main
def main(argv: Optional[List[str]] = None) -> Dict:
    args = parse_args(argv)
    t0 = time.time()
    video_id = args.video_id or osp.splitext(osp.basename(args.video))[0]
    props = video_properties(args.video)
    fps = args.fps or props['fps'] or 25.0
    os.makedirs(args.out_dir, exist_ok=True)

    extraction = None
    skeleton_dir = args.skeleton_dir
    if skeleton_dir is None:
        import importlib.util
        spec = importlib.util.spec_from_file_location(
            '_extract_pose', osp.join(_REPO_ROOT, 'tools', 'data', 'extract_pose.py'))
        extractor = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(extractor)
        skeleton_dir = osp.join(args.out_dir, 'skeleton')
        try:
            extraction = extractor.extract_pose(args.video, skeleton_dir, video_id,
                                                max_frames=args.max_frames, overwrite=True)
        except ImportError as e:
            sys.exit(f'video_demo: {e}; or pass --skeleton-dir with existing OpenPose JSON')
    frame_dir = find_frame_dir(skeleton_dir, video_id)
    try:
        seq, first, counts = load_skeleton_sequence(frame_dir, args.max_frames)
    except ConversionError as e:
        sys.exit(f'video_demo: {e}')

    cfg, model = build_model(args.config, args.checkpoint, args.device, args.cfg_options)
    pipeline, layout = clip_test_pipeline(cfg)
    joints = layout_indices(layout) if LAYOUTS[layout]['num_node'] != NUM_OPENPOSE_KEYPOINTS \
        else None
    img_shape = (props['height'], props['width'])
    starts = window_starts(len(seq), args.window, args.stride)
    person = (seq[..., 2] > 0).any(-1)  # (T,) frames with a detected person
    clips, valid = [], np.zeros(len(starts), bool)
    for i, s in enumerate(starts):
        valid[i] = person[s:s + args.window].any()
        if valid[i]:
            clips.append(window_clip(seq, s, args.window, joints, img_shape,
                                     f'{video_id}_w{i}'))
    scores = run_windows(model, pipeline, clips, args.batch_size)
    num_classes = scores.shape[1] if len(scores) else int(cfg.model.cls_head.num_classes)
    names = class_names(cfg, num_classes)
    all_scores = np.zeros((len(starts), num_classes), np.float32)
    all_probs = np.zeros_like(all_scores)
    if len(scores):
        all_scores[valid] = scores
        all_probs[valid] = to_probability(scores)
    topk = min(args.topk, num_classes)
    windows = []
    for i, s in enumerate(starts):
        e = min(s + args.window, len(seq)) - 1
        top = []
        if valid[i]:
            order = np.argsort(-all_probs[i])[:topk]
            top = [dict(label=int(k), name=names[k], score=float(all_probs[i, k]))
                   for k in order]
        windows.append(dict(index=i, start_frame=first + s, end_frame=first + e,
                            start_time=(first + s) / fps, end_time=(first + e + 1) / fps,
                            person_ratio=float(person[s:e + 1].mean()), top=top))
    result = dict(video=osp.abspath(args.video), video_id=video_id, fps=fps,
                  img_shape=list(img_shape), num_frames=int(len(seq)), first_frame=int(first),
                  duration=(first + len(seq)) / fps, config=osp.abspath(args.config),
                  checkpoint=osp.abspath(args.checkpoint), layout=layout, window=args.window,
                  stride=args.stride, classes=names,
                  skeleton=dict(dir=frame_dir, empty_frames=int(counts['empty_frames']),
                                missing_frames=int(counts['missing_frames']),
                                multi_person_frames=int(counts['multi_person_frames']),
                                frames_without_hands=int(counts['frames_without_hands']),
                                extraction=extraction),
                  windows_without_person=int((~valid).sum()), windows=windows,
                  segments=merge_segments(windows), emotion=None)

    if args.emotion_config:
        emo_cfg, emo_model = build_model(args.emotion_config, args.emotion_ckpt, args.device)
        use = valid & (all_probs.max(-1) >= args.mg_threshold)
        if use.any():
            result['emotion'] = emotion_estimate(emo_cfg, emo_model, all_scores[use],
                                                 all_probs[use])
        else:
            result['emotion'] = dict(label=None, prob_win=None, prob_lose=None, num_windows=0,
                                     note='no window with a person above --mg-threshold')
        result['emotion'].update(config=osp.abspath(args.emotion_config),
                                 checkpoint=osp.abspath(args.emotion_ckpt),
                                 mg_threshold=args.mg_threshold)

    base = osp.join(args.out_dir, video_id)
    result['outputs'] = dict(json=base + '_timeline.json', png=base + '_timeline.png')
    if args.out_video:
        result['outputs']['video'] = base + '_annotated.mp4'
    plot_timeline(result, all_probs, valid if len(scores) else np.zeros(len(starts), bool),
                  result['outputs']['png'])
    if args.out_video:
        result['outputs']['video_frames'] = write_annotated_video(
            args.video, seq, first, result, result['outputs']['video'], fps)
    result['seconds'] = time.time() - t0
    with open(result['outputs']['json'], 'w') as f:
        json.dump(result, f, indent=1)
    emo = result['emotion']
    print(f'[video_demo] {video_id}: {len(seq)} frames, {len(starts)} windows '
          f'({result["windows_without_person"]} without a person), '
          f'{len(result["segments"])} MG segments'
          + (f', emotion {emo["label"]} (p(win)={emo["prob_win"]})' if emo else '')
          + f' -> {result["outputs"]["json"]} ({result["seconds"]:.1f}s)', flush=True)
    return result


if __name__ == '__main__':
    main()
