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
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

import mmimigue  # noqa: F401  (compat shims + registration)
from mmimigue.apis import (CheckpointMismatchError, class_names_from_config, init_recognizer,
                           load_skeleton_sequence, sliding_window_scores, to_probability)
from mmimigue.datasets.formats import ConversionError, list_frames
from mmimigue.fileio import atomic_output, atomic_write
from mmimigue.graphs import LAYOUTS

_REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
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


# ----------------------------------------------------------------------------- models
def build_model(config, checkpoint: str, device: str, cfg_options: Optional[Dict] = None):
    """:func:`mmimigue.apis.init_recognizer`, stopping with its message on a mismatch."""
    try:
        return init_recognizer(config, checkpoint, device, cfg_options)
    except (CheckpointMismatchError, FileNotFoundError) as e:
        raise SystemExit(f'video_demo: {e}') from None


def online_scores(model, seq: np.ndarray, stride: int) -> Dict:
    """The online path (``configs/*/online_*.py`` models, the one of tools/online_detect.py):
    the model's frame probabilities over the whole stream and its segments, summarised per
    cell of ``stride`` frames for the timeline (the MG probabilities of each cell's mean, the
    background column left out)."""
    import torch

    from mmimigue.graphs import layout_indices
    stream = torch.from_numpy(np.ascontiguousarray(seq[:, layout_indices('imigue22')]))
    probs, segs = model.detect(stream)
    cells = list(range(0, len(seq), stride))
    mg = np.stack([probs[c:c + stride, :model.num_classes].mean(0) for c in cells])
    person = (seq[..., 2] > 0).any(-1)
    valid = np.array([person[c:c + stride].any() for c in cells])
    return dict(starts=np.asarray(cells), valid=valid, scores=mg, probs=mg, layout='imigue22',
                segments=segs)


def emotion_wording(prob_win: float, margin: float = 0.1) -> str:
    """A calibrated phrase: an outcome only when p(win) is at least ``margin`` from 0.5."""
    if prob_win >= 0.5 + margin:
        verdict = 'leans win'
    elif prob_win <= 0.5 - margin:
        verdict = 'leans lose'
    else:
        verdict = 'undecided'
    return f'{verdict} (p(win) = {prob_win:.2f})'


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
    """Consecutive windows with the same top-1 MG -> segments (windows without one split).

    ``start_frame``/``end_frame`` are the frames the segment's windows read; ``first_window`` /
    ``last_window`` index its windows, from which the plot draws non-overlapping spans.
    """
    segments: List[Dict] = []
    for w in windows:
        if not w['top']:
            continue
        top = w['top'][0]
        seg = segments[-1] if segments else None
        if seg and seg['label'] == top['label'] and seg['last_window'] == w['index'] - 1:
            seg['end_frame'], seg['end_time'] = w['end_frame'], w['end_time']
            seg['_scores'].append(top['score'])
            seg['last_window'] = w['index']
            continue
        segments.append(dict(label=top['label'], name=top['name'], start_frame=w['start_frame'],
                             end_frame=w['end_frame'], start_time=w['start_time'],
                             end_time=w['end_time'], first_window=w['index'],
                             last_window=w['index'], _scores=[top['score']]))
    for seg in segments:
        scores = seg.pop('_scores')
        seg.update(score=float(np.mean(scores)), num_windows=len(scores))
    return segments


def online_segments(segments, names: Sequence[str], first: int, fps: float, stride: int
                    ) -> List[Dict]:
    """An online model's ``(start, end, label, score)`` segments in the timeline's form (the
    cells of ``stride`` frames they span stand in for windows)."""
    out = []
    for a, b, c, sc in segments:
        a, b, c = int(a), int(b), int(c)
        out.append(dict(label=c, name=names[c], start_frame=first + a, end_frame=first + b,
                        start_time=(first + a) / fps, end_time=(first + b + 1) / fps,
                        first_window=a // stride, last_window=b // stride, score=float(sc),
                        num_windows=b // stride - a // stride + 1))
    return out


def window_cells(windows: Sequence[Dict]) -> np.ndarray:
    """(N, 2) time span each window owns on the plot: from the midpoint with the previous window's
    centre to the midpoint with the next one (the first and last reach their window's edge).

    Overlapping windows would otherwise draw overlapping bands that read as extra MGs; the cells
    tile the covered time exactly once and are centred on the points of the probability plot.
    """
    starts = np.array([w['start_time'] for w in windows], dtype=float)
    ends = np.array([w['end_time'] for w in windows], dtype=float)
    centres = (starts + ends) / 2
    bounds = np.concatenate([starts[:1], (centres[1:] + centres[:-1]) / 2, ends[-1:]])
    return np.stack([bounds[:-1], bounds[1:]], 1)


def class_colours(first: Sequence[int], then: Sequence[int]) -> Dict[int, tuple]:
    """One colour per class, the same in both panels: ``first`` (the plotted lines) take the
    palette in order, then the segment classes without a line."""
    import matplotlib
    palette = matplotlib.colormaps['tab20'].colors
    order = list(dict.fromkeys([int(k) for k in first] + [int(k) for k in then]))
    return {k: palette[(2 * i) % 20 + (2 * i) // 20 % 2] for i, k in enumerate(order)}


def plot_timeline(result: Dict, probs: np.ndarray, valid: np.ndarray, path: str,
                  max_classes: int = 8) -> None:
    """PNG: probabilities of the leading MGs over time, and the top-1 segments below.

    A class has one colour in both panels; a segment is labelled in place only where its name
    fits, and the legend under the bands names every segment class.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    windows, names, segments = result['windows'], result['classes'], result['segments']
    centres = np.array([(w['start_time'] + w['end_time']) / 2 for w in windows])
    lead = np.argsort(-probs[valid].max(0))[:max_classes] if valid.any() else []
    colours = class_colours(lead, [s['label'] for s in segments])
    width_in = 13
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(width_in, 7), sharex=True,
                                   gridspec_kw=dict(height_ratios=[3, 1.2]))
    for k in lead:
        ax1.plot(centres, np.where(valid, probs[:, k], np.nan), marker='o', ms=3, lw=1.5,
                 color=colours[int(k)], label=names[k])
    if len(lead):
        ax1.legend(fontsize=9, loc='upper left', bbox_to_anchor=(1.01, 1), borderaxespad=0,
                   title='leading MGs', title_fontsize=9)
    ax1.set_ylabel('MG probability', fontsize=10)
    ax1.set_ylim(0, 1)
    ax1.grid(alpha=0.3)
    emo = result.get('emotion')
    title = f"{result['video_id']}: micro-gesture timeline"
    if emo and emo.get('prob_win') is not None:
        title += f" | emotion: {emotion_wording(emo['prob_win'])}"
    ax1.set_title(title, fontsize=11)

    duration = max(result['duration'], 1e-6)
    cells = window_cells(windows) if windows else np.zeros((0, 2))
    # a 9-pt character is ~5.4 pt wide; the band axis spans ~75 % of the figure width
    secs_per_char = duration * 5.4 / (0.75 * width_in * 72)
    for seg in segments:
        t0, t1 = cells[seg['first_window'], 0], cells[seg['last_window'], 1]
        ax2.axvspan(t0, t1, ymin=0.1, ymax=0.9, color=colours[seg['label']], alpha=0.85, lw=0)
        if (t1 - t0) > secs_per_char * (len(seg['name']) + 2):
            ax2.text((t0 + t1) / 2, 0.5, seg['name'], ha='center', va='center', fontsize=9)
    if segments:
        shown = dict.fromkeys(s['label'] for s in segments)
        ax2.legend(handles=[Patch(color=colours[k], label=names[k]) for k in shown], fontsize=9,
                   loc='upper left', bbox_to_anchor=(1.01, 1), borderaxespad=0,
                   title='top-1 segments', title_fontsize=9)
    ax2.set_yticks([])
    ax2.set_ylim(0, 1)
    ax2.set_xlabel('time (s)', fontsize=10)
    ax2.set_xlim(0, duration)
    fig.tight_layout()
    with atomic_output(path) as tmp:
        fig.savefig(tmp, dpi=100)
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
    img_shape = (props['height'], props['width'])
    from mmimigue.models.online.stream_detector_base import MGStreamDetectorBase
    online = isinstance(model, MGStreamDetectorBase)
    try:
        out = (online_scores(model, seq, args.stride) if online else
               sliding_window_scores(model, cfg, seq, args.window, args.stride, img_shape,
                                     args.batch_size, video_id))
    except ValueError as e:
        sys.exit(f'video_demo: {e}')
    starts, valid, all_scores, all_probs = (out['starts'].tolist(), out['valid'], out['scores'],
                                            out['probs'])
    layout, num_classes = out['layout'], all_scores.shape[1]
    person = (seq[..., 2] > 0).any(-1)  # (T,) frames with a detected person
    names = class_names_from_config(cfg, num_classes)
    topk = min(args.topk, num_classes)
    windows = []
    span = args.stride if online else args.window
    for i, s in enumerate(starts):
        e = min(s + span, len(seq)) - 1
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
                  segments=(online_segments(out['segments'], names, first, fps, args.stride)
                            if online else merge_segments(windows)), emotion=None)

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
    plot_timeline(result, all_probs, valid,
                  result['outputs']['png'])
    if args.out_video:
        result['outputs']['video_frames'] = write_annotated_video(
            args.video, seq, first, result, result['outputs']['video'], fps)
    result['seconds'] = time.time() - t0
    atomic_write(result['outputs']['json'], json.dumps(result, indent=1))
    emo = result['emotion']
    print(f'[video_demo] {video_id}: {len(seq)} frames, {len(starts)} windows '
          f'({result["windows_without_person"]} without a person), '
          f'{len(result["segments"])} MG segments'
          + (f', emotion {emotion_wording(emo["prob_win"])}' if emo and emo['label'] else '')
          + f' -> {result["outputs"]["json"]} ({result["seconds"]:.1f}s)', flush=True)
    return result


if __name__ == '__main__':
    main()
