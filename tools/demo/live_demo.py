"""Live micro-gesture recognition from a video file or a camera: MediaPipe pose -> the causal
detector -> an overlay with the current MG, the last MGs and a running emotion estimate.

Usage::

    python tools/demo/live_demo.py SOURCE CONFIG_OR_WORK_DIR [CHECKPOINT]
        [--emotion-config CFG --emotion-ckpt CKPT] [--out-video OUT.mp4] [--show]
        [--max-frames N] [--realtime] [--device cpu]

``SOURCE`` is a video file or a camera index (``0``). Every frame goes through MediaPipe
Holistic (``pip install -e .[pose]``), is mapped to the OpenPose points the models were trained
on (:func:`mmimigue.pose.holistic_to_openpose`) and pushed to
:class:`mmimigue.apis.MGLiveDetector` (a causal model: ``configs/*/online_causal-gru_*``).
Each MG is printed when it is decided, with its latency. ``--realtime`` paces a file at its own
frame rate (a camera is paced by itself); without it a file runs as fast as the machine allows.
The run ends with the achieved frames/s and the time per frame of pose, detection and drawing,
and names the bottleneck. With ``--emotion-config/--emotion-ckpt`` the MGs found so far (their
mean probabilities) are the sequence of the video-level emotion model, re-run after each MG.
"""
import argparse
import contextlib
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('source', help='a video file, or a camera index such as 0')
    p.add_argument('config', help='a causal online config, its training work dir, or an '
                   'exported .onnx detector (tools/deployment/export_onnx.py: no torch)')
    p.add_argument('checkpoint', nargs='?', help='the weights (not needed with a work dir)')
    p.add_argument('--emotion-config', help='video-level emotion config (docs/emotion.md)')
    p.add_argument('--emotion-ckpt', help='its checkpoint')
    p.add_argument('--out-video', help='write the annotated video here (mp4)')
    p.add_argument('--show', action='store_true', help='show the overlay in a window')
    p.add_argument('--max-frames', type=int, help='stop after this many frames')
    p.add_argument('--realtime', action='store_true',
                   help="pace a video file at its frame rate, as a camera would deliver it")
    p.add_argument('--device', default='cpu')
    args = p.parse_args(argv)
    if (args.emotion_config is None) != (args.emotion_ckpt is None):
        p.error('--emotion-config and --emotion-ckpt go together')
    return args


def open_source(source: str):
    import cv2
    cap = cv2.VideoCapture(int(source) if source.isdigit() else source)
    if not cap.isOpened():
        sys.exit(f'live_demo: cannot open {source!r} (a video file OpenCV can read, or a camera '
                 'index such as 0)')
    return cap


def draw(bgr, kp, current: str, recent, emotion: str, fps: float):
    """The overlay: detected points, the current MG, the last three MGs, the emotion, fps."""
    import cv2
    for x, y, s in (kp if kp is not None else ()):
        if s > 0:
            cv2.circle(bgr, (int(x), int(y)), 2, (0, 255, 255), -1)
    lines = [f'now: {current}'] + [f'  {e}' for e in recent[-3:]] + [emotion, f'{fps:.1f} fps']
    k = max(bgr.shape[0] / 480, 1.0)  # text readable at any resolution
    font, size, step, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.6 * k, int(24 * k), max(int(k), 1)
    for i, text in enumerate(lines):
        org = (int(10 * k), step * (i + 1))
        cv2.putText(bgr, text, org, font, size, (0, 0, 0), 3 * thick)
        cv2.putText(bgr, text, org, font, size, (255, 255, 255), thick)
    return bgr


def emotion_of(emo_model, events) -> dict:
    """The video-level emotion model over the MGs found so far (each MG's mean probabilities
    without the background column, renormalised; log-probabilities stand for a clip model's
    scores)."""
    import numpy as np

    from mmimigue.apis.video_timeline import emotion_estimate
    from mmimigue.emotion.wording import emotion_wording
    probs = np.asarray([e['probs'][:-1] for e in events], np.float32)
    probs /= np.maximum(probs.sum(1, keepdims=True), 1e-9)
    est = emotion_estimate(emo_model, np.log(np.maximum(probs, 1e-9)), probs)
    return dict(est, num_mgs=len(events),
                text=f"emotion: {emotion_wording(est['prob_win'])} ({len(events)} MGs)")


def load_models(args):
    """The live detector (torch, or onnxruntime for an exported ``.onnx`` model: then torch is
    not imported unless an emotion model is asked for), its class count, the emotion model."""
    from mmimigue.fileio import OutputError
    if args.config.endswith('.onnx'):
        from mmimigue.deployment.onnx_live import OnnxLiveDetector
        try:
            live = OnnxLiveDetector(args.config, layout='openpose137')
        except ValueError as e:
            sys.exit(f'live_demo: {e}')
        num_classes = len(live.class_names)
    else:
        from mmimigue.apis import (
            MGLiveDetector,
            class_names_from_config,
            init_recognizer,
            resolve_work_dir,
        )
        from mmimigue.engine.threads import fit_threads
        from mmimigue.registration import register_all_modules
        register_all_modules()
        fit_threads('live_demo')
        try:
            args.config, args.checkpoint = resolve_work_dir(args.config, args.checkpoint)
        except (FileNotFoundError, OutputError) as e:
            sys.exit(f'live_demo: {e}')
        model = init_recognizer(args.config, args.checkpoint, args.device)
        if not hasattr(model, 'stream_step'):
            sys.exit(f'live_demo: {args.config} builds {type(model).__name__}, not a causal '
                     'stream model (configs/*/online_causal-gru_*)')
        num_classes = model.num_classes
        live = MGLiveDetector(model, layout='openpose137',
                              class_names=class_names_from_config(model.cfg, num_classes))
    emo_model = None
    if args.emotion_config:
        from mmimigue.apis import init_recognizer
        from mmimigue.registration import register_all_modules
        register_all_modules()
        emo_model = init_recognizer(args.emotion_config, args.emotion_ckpt, args.device)
    return live, num_classes, emo_model


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmimigue.pose.holistic_stream import INSTALL_HINT, HolisticStream, mediapipe_available
    if not mediapipe_available():
        sys.exit(f'live_demo: {INSTALL_HINT}')
    import cv2
    import numpy as np

    from mmimigue.fileio import OutputPlan, atomic_output
    live, num_classes, emo_model = load_models(args)
    cap = open_source(args.source)
    src_fps = float(cap.get(cv2.CAP_PROP_FPS) or 25.0)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    if args.out_video:
        OutputPlan([args.source, args.config, args.checkpoint]).add(args.out_video, '--out-video')
    stack = contextlib.ExitStack()  # the annotated video is renamed into place on success only
    writer = None
    if args.out_video:
        tmp = stack.enter_context(atomic_output(args.out_video))
        writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), src_fps, size)
        stack.callback(writer.release)  # runs first: the file is complete before the rename
    times = dict(pose=0.0, detect=0.0, draw=0.0)
    events, recent, emotion, frames, t_start = [], [], 'emotion: (no MG yet)', 0, time.time()
    summary_emotion = None
    empty = np.zeros((137, 3), np.float32)
    with stack, HolisticStream() as pose:
        while args.max_frames is None or frames < args.max_frames:
            ok, bgr = cap.read()
            if not ok:
                break
            t0 = time.perf_counter()
            kp = pose(bgr)
            t1 = time.perf_counter()
            new = live.push(kp if kp is not None else empty)
            t2 = time.perf_counter()
            for e in new:
                print(f"[live] frame {e['emitted_at']}: {e['name']} (frames {e['start']}-"
                      f"{e['end']}, score {e['score']:.2f}), latency "
                      f"{e['emitted_at'] - e['end']} frames", flush=True)
                recent.append(f"{e['name']} ({e['start'] / src_fps:.1f}-"
                              f"{(e['end'] + 1) / src_fps:.1f} s)")
            events += new
            if new and emo_model is not None:
                summary_emotion = emotion_of(emo_model, events)
                emotion = summary_emotion['text']
            p = live.last_probs
            current = 'no MG' if p is None or p.argmax() == num_classes else \
                f'{live.class_names[int(p.argmax())]} ({p.max():.2f})'
            frames += 1
            if writer is not None or args.show:
                fps_now = frames / max(time.time() - t_start, 1e-9)
                draw(bgr, kp, current, recent, emotion, fps_now)
                if writer is not None:
                    writer.write(bgr)
                if args.show:
                    cv2.imshow('mmimigue live', bgr)
                    if cv2.waitKey(1) & 0xFF == ord('q'):
                        break
            t3 = time.perf_counter()
            times['pose'] += t1 - t0
            times['detect'] += t2 - t1
            times['draw'] += t3 - t2
            if args.realtime:  # a file delivered as a camera would: one frame per 1/fps
                time.sleep(max(0.0, frames / src_fps - (time.time() - t_start)))
    cap.release()
    last = live.flush()
    for e in last:
        print(f"[live] end of stream: {e['name']} (frames {e['start']}-{e['end']})")
    events += last
    if last and emo_model is not None:
        summary_emotion = emotion_of(emo_model, events)
        emotion = summary_emotion['text']
    elapsed = time.time() - t_start
    per = {k: 1000 * v / max(frames, 1) for k, v in times.items()}
    slowest = max(per, key=per.get)
    summary = dict(frames=frames, seconds=elapsed, fps=frames / max(elapsed, 1e-9),
                   source_fps=src_fps, ms_per_frame=per, bottleneck=slowest, events=len(events),
                   emotion=summary_emotion)
    if summary_emotion:
        print(f'live_demo: {emotion}, after the last MG')
    from mmimigue.apis.video_timeline import domain_caveats
    for caveat in domain_caveats(frames / src_fps, 0.0, len(events) if emo_model else 0):
        print(f'live_demo: note: {caveat}')
    print(f"live_demo: {frames} frames in {elapsed:.1f}s, {summary['fps']:.1f} frames/s "
          f"(source {src_fps:.0f} fps); per frame: pose {per['pose']:.1f} ms, detection "
          f"{per['detect']:.2f} ms, drawing {per['draw']:.1f} ms; bottleneck: {slowest}; "
          f"{len(events)} MGs" + (f" -> {args.out_video}" if args.out_video else ''))
    return summary


if __name__ == '__main__':
    main()
