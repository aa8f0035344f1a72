"""From a raw video to a micro-gesture timeline and a video-level emotion estimate.

Usage::

    python tools/demo/video_demo.py VIDEO CONFIG CKPT --out-dir OUT
        [--emotion-config CFG --emotion-ckpt CKPT] [--skeleton-dir DIR]
        [--window 64] [--stride 16] [--topk 3] [--mg-threshold 0] [--out-video]
        [--max-frames N] [--batch-size 8] [--device cpu] [--cfg-options k=v ...]

1. Skeletons: ``--skeleton-dir DIR`` reuses OpenPose JSON (``DIR/<video_id>/*_keypoints.json``
   or the frame files directly in ``DIR``, e.g. from ``tools/data/extract_pose.py`` or from
   OpenPose itself); without it ``tools/data/extract_pose.py`` extracts them with MediaPipe
   Holistic into ``OUT/skeleton`` first (needs ``pip install -e .[pose]``, or ``--pose-python``
   naming the python of an environment that has MediaPipe).
2. Frames are read with the release's stream reader
   (:func:`mmimigue.datasets.formats.openpose_stream.read_video_stream`), so detector output is
   treated exactly as in training (empty frames, several people, missing files); the model's
   own joint layout is taken from them.
3. :func:`mmimigue.apis.stream_detection` finds the MGs: an online model
   (``configs/*/online_*``) runs its own windows; a clip model is slid over the video in windows
   of ``--window`` frames every ``--stride`` frames (the last one ends at the last frame), each
   through the config's **test** pipeline (windows without a detected person get no
   prediction), and each frame averages the windows covering it.
4. Segments come from the one segmenter (:func:`mmimigue.skeleton.probs_to_segments`): the JSON
   and the figure show the same frames.
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
import subprocess
import sys
import time
from typing import Dict, List, Optional

_TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video', help='input video (fps, size, frames for --out-video)')
    parser.add_argument('config', help='clip-level skeleton MG model or online model config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('--out-dir', required=True, help='where the results go')
    parser.add_argument('--emotion-config', default=None, help='video-level emotion config')
    parser.add_argument('--emotion-ckpt', default=None, help='its checkpoint')
    parser.add_argument('--skeleton-dir', default=None,
                        help='existing OpenPose JSON (DIR/<video_id>/ or the frames in DIR); '
                        'extracted with MediaPipe into OUT/skeleton when omitted')
    parser.add_argument('--pose-python', default=sys.executable,
                        help='python that runs tools/data/extract_pose.py (one with MediaPipe)')
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
    parser.add_argument('--device', default=None, help='default: cuda when available, else cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the clip config, key=value')
    args = parser.parse_args(argv)
    if (args.emotion_config is None) != (args.emotion_ckpt is None):
        parser.error('--emotion-config and --emotion-ckpt go together')
    if args.window < 1 or args.stride < 1:
        parser.error('--window and --stride must be >= 1')
    return args


def extract_skeletons(args, video_id: str) -> Dict:
    """Run tools/data/extract_pose.py (MediaPipe Holistic) into OUT/skeleton; its summary."""
    skeleton_dir = osp.join(args.out_dir, 'skeleton')
    summary = osp.join(args.out_dir, f'{video_id}_extraction.json')
    cmd = [args.pose_python, osp.join(_TOOLS, 'data', 'extract_pose.py'), args.video,
           skeleton_dir, '--video-id', video_id, '--overwrite', '--summary', summary]
    if args.max_frames:
        cmd += ['--max-frames', str(args.max_frames)]
    if subprocess.run(cmd).returncode != 0:
        sys.exit('video_demo: pose extraction failed (above); install MediaPipe with '
                 '`pip install -e .[pose]`, pass --pose-python, or pass --skeleton-dir with '
                 'existing OpenPose JSON')
    with open(summary) as f:
        return json.load(f)


def main(argv: Optional[List[str]] = None) -> Dict:
    args = parse_args(argv)
    from mmimigue.apis import CheckpointMismatchError, class_names_from_config, detect_stream, init_recognizer
    from mmimigue.apis.video_timeline import (
        domain_caveats,
        emotion_estimate,
        segment_dicts,
        timeline_windows,
        window_dicts,
    )
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.formats.openpose_stream import find_frame_dir, read_video_stream
    from mmimigue.emotion.wording import emotion_wording
    from mmimigue.fileio import atomic_write
    from mmimigue.registration import register_all_modules
    from mmimigue.visualization.annotated_video import video_properties, write_annotated_video
    from mmimigue.visualization.timeline import plot_timeline
    register_all_modules()
    t0 = time.time()
    device = args.device
    if device is None:
        import torch
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
    video_id = args.video_id or osp.splitext(osp.basename(args.video))[0]
    props = video_properties(args.video)
    fps = args.fps or props['fps'] or 25.0
    os.makedirs(args.out_dir, exist_ok=True)

    extraction, skeleton_dir = None, args.skeleton_dir
    if skeleton_dir is None:
        extraction = extract_skeletons(args, video_id)
        skeleton_dir = osp.join(args.out_dir, 'skeleton')
    try:
        frame_dir = find_frame_dir(skeleton_dir, video_id)
        seq, first, counts = read_video_stream(frame_dir, max_frames=args.max_frames)
    except (ConversionError, FileNotFoundError) as e:
        sys.exit(f'video_demo: {e}')

    def load(config, checkpoint, options=None):
        try:
            return init_recognizer(config, checkpoint, device, options)
        except (CheckpointMismatchError, FileNotFoundError) as e:
            raise SystemExit(f'video_demo: {e}') from None

    model = load(args.config, args.checkpoint, args.cfg_options)
    img_shape = (props['height'], props['width'])
    try:
        out = detect_stream(model, seq, None, args.window, args.stride, img_shape,
                            args.batch_size, video_id)
    except ValueError as e:
        sys.exit(f'video_demo: {e}')
    person = (seq[..., 2] > 0).any(-1)  # (T,) frames with a detected person
    win = timeline_windows(out, person, args.stride, args.window)
    num_classes = win['probs'].shape[1]
    names = class_names_from_config(model.cfg, num_classes)
    result = dict(video=osp.abspath(args.video), video_id=video_id, fps=fps,
                  img_shape=list(img_shape), num_frames=int(len(seq)), first_frame=int(first),
                  duration=(first + len(seq)) / fps, config=osp.abspath(args.config),
                  checkpoint=osp.abspath(args.checkpoint), layout=out['layout'],
                  window=args.window, stride=args.stride, classes=names,
                  skeleton=dict(dir=frame_dir, empty_frames=int(counts['empty_frames']),
                                missing_frames=int(counts['missing_frames']),
                                multi_person_frames=int(counts['multi_person_frames']),
                                frames_without_hands=int(counts['frames_without_hands']),
                                extraction=extraction),
                  windows_without_person=int((~win['valid']).sum()),
                  windows=window_dicts(win, person, names, first, fps,
                                       min(args.topk, num_classes)),
                  segments=segment_dicts(out['segments'], names, first, fps), emotion=None)

    if args.emotion_config:
        emo_model = load(args.emotion_config, args.emotion_ckpt)
        use = win['valid'] & (win['probs'].max(-1) >= args.mg_threshold)
        if use.any():
            result['emotion'] = emotion_estimate(emo_model, win['scores'][use],
                                                 win['probs'][use])
        else:
            result['emotion'] = dict(label=None, prob_win=None, prob_lose=None, num_windows=0,
                                     note='no window with a person above --mg-threshold')
        result['emotion'].update(config=osp.abspath(args.emotion_config),
                                 checkpoint=osp.abspath(args.emotion_ckpt),
                                 mg_threshold=args.mg_threshold)

    emo_windows = (result['emotion'] or {}).get('num_windows') or 0
    result['caveats'] = domain_caveats(result['duration'], counts['multi_person_frames'] /
                                       max(len(seq), 1), emo_windows)
    if result['caveats']:
        result['note'] = 'outside the training domain: ' + '; '.join(
            c.split(';')[0] for c in result['caveats'])
    base = osp.join(args.out_dir, video_id)
    result['outputs'] = dict(json=base + '_timeline.json', png=base + '_timeline.png')
    if args.out_video:
        result['outputs']['video'] = base + '_annotated.mp4'
    plot_timeline(result, win['probs'], win['valid'], result['outputs']['png'])
    if args.out_video:
        result['outputs']['video_frames'] = write_annotated_video(
            args.video, seq, first, result, result['outputs']['video'], fps)
    result['seconds'] = time.time() - t0
    atomic_write(result['outputs']['json'], json.dumps(result, indent=1))
    emo = result['emotion']
    print(f'[video_demo] {video_id}: {len(seq)} frames, {len(win["starts"])} windows '
          f'({result["windows_without_person"]} without a person), '
          f'{len(result["segments"])} MG segments'
          + (f', emotion {emotion_wording(emo["prob_win"])}' if emo and emo['label'] else '')
          + f' -> {result["outputs"]["json"]} ({result["seconds"]:.1f}s)', flush=True)
    for caveat in result['caveats']:
        print(f'[video_demo] caution: {caveat}', flush=True)
    return result


if __name__ == '__main__':
    main()
