"""Data-layer benchmark on a full-size synthetic iMiGUE: mmimigue vs mmaction2's PoseDataset.

Measured in one run and printed side by side, with ratios against mmaction2's ``PoseDataset``
reading the plain (inline) pickle:

* converter frames/s: the official-layout converter on OpenPose JSON (a subset of the videos,
  writing inline vs memory-mapped storage), and writing a full-size converted dataset in the
  array domain (inline pickle vs memory-mapped store);
* dataset open time: building the dataset object (fresh process, warm page cache);
* peak total memory of a 4-worker DataLoader pass over every clip: the sum of PSS (proportional
  set size: shared pages are split between the processes that map them, so a page shared by 5
  processes counts once in total) over the main process and its workers, sampled every 50 ms
  from ``/proc``; the sum of RSS (shared pages counted once per process) is printed too.

The full-size dataset (18,499 clips, like iMiGUE's annotation file; clip lengths and classes from
the synthetic generator) is rendered as arrays with the synthetic generator instead of writing
~1.5 M JSON files; JSON parsing speed is measured on ``--json-videos`` videos.

Example::

    python tools/analysis/benchmark_data.py --work-dir /tmp/mmimigue_bench
    python tools/analysis/benchmark_data.py --converter   # orjson vs stdlib json, same files
"""
import argparse
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import threading
import time
from typing import Dict, List, Optional

# ----------------------------------------------------------------------------- measurement


def _children(pid: int) -> List[int]:
    out = []
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/children') as f:
                out += [int(c) for c in f.read().split()]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def _tree(pid: int) -> List[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _mem_kb(pid: int) -> Dict[str, int]:
    vals = {}
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                key, _, rest = line.partition(':')
                if key in ('Rss', 'Pss', 'Pss_Anon'):
                    vals[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return vals


class TreeMemoryMonitor:
    """Samples the summed PSS / RSS of a process and all its descendants; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_pss_kb = self.peak_rss_kb = self.peak_anon_kb = 0
        self.max_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        pids = _tree(self.pid)
        mems = [_mem_kb(p) for p in pids]
        self.peak_pss_kb = max(self.peak_pss_kb, sum(m.get('Pss', 0) for m in mems))
        self.peak_rss_kb = max(self.peak_rss_kb, sum(m.get('Rss', 0) for m in mems))
        self.peak_anon_kb = max(self.peak_anon_kb, sum(m.get('Pss_Anon', 0) for m in mems))
        self.max_procs = max(self.max_procs, len(pids))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def __enter__(self) -> 'TreeMemoryMonitor':
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# ----------------------------------------------------------------------------- data

def _config_for(num_clips: int):
    from mmimigue.datasets.synthetic import SyntheticConfig
    per_video = num_clips / 144  # 72 subjects x 2 videos; a few extra clips are dropped
    lo, hi = int(per_video) + 1, int(per_video * 1.15) + 2
    return SyntheticConfig(num_train_subjects=37, num_test_subjects=35, videos_per_subject=2,
                           clips_per_video=(max(lo, 1), max(hi, 2)), clip_frames=(24, 104),
                           seed=0)


def generate(work_dir: str, num_clips: int) -> dict:
    """Render a full-size synthetic iMiGUE as arrays and write both storages; returns timings."""
    from mmimigue.datasets.formats import clip_annotation, clip_id
    from mmimigue.datasets.keypoint_store import write_pose_pickle
    from mmimigue.datasets.synthetic.imigue_generator import make_subjects, plan_videos, render_video
    from mmimigue.protocol import imigue_class_to_index
    from mmimigue.protocol.imigue_splits import build_splits
    cfg = _config_for(num_clips)
    plans = plan_videos(cfg, make_subjects(cfg))
    annotations: List[dict] = []
    t0 = time.time()
    for plan in plans:
        frames, rows = render_video(plan, cfg)
        vid = str(plan['video_id']).zfill(4)
        for r in rows:
            if len(annotations) >= num_clips:
                break
            row = dict(video_id=vid, clip_index=r['label_id'],
                       label=imigue_class_to_index(int(r['class'])),
                       subject_id=r['subject_id'], emotion=int(r['win_or_lose'] == 'Win'))
            clip = frames[r['start_frame']:r['end_frame'] + 1]
            annotations.append(clip_annotation(clip_id(vid, r['label_id']), row, clip, (720, 1280),
                                               r['start_frame'], r['end_frame']))
    render_s = time.time() - t0
    split = build_splits(annotations)
    split['all'] = [a['frame_dir'] for a in annotations]
    content = dict(split=split, annotations=annotations, summary={})
    frames = sum(a['total_frames'] for a in annotations)
    out = {}
    for storage in ('inline', 'mmap'):
        path = osp.join(work_dir, f'imigue_{storage}.pkl')
        t0 = time.time()
        write_pose_pickle(content, path, storage)
        out[storage] = time.time() - t0
    info = dict(clips=len(annotations), frames=frames, render_s=render_s,
                write_inline_s=out['inline'], write_mmap_s=out['mmap'],
                inline_bytes=osp.getsize(osp.join(work_dir, 'imigue_inline.pkl')),
                mmap_pickle_bytes=osp.getsize(osp.join(work_dir, 'imigue_mmap.pkl')),
                store_bytes=osp.getsize(osp.join(work_dir, 'imigue_mmap.keypoints.npy')))
    with open(osp.join(work_dir, 'generated.json'), 'w') as f:
        json.dump(info, f)
    return info


def write_json_subset(work_dir: str, num_videos: int, second_person_prob: float = None) -> tuple:
    """Write ``num_videos`` synthetic videos as OpenPose JSON (BODY_25, face and hands per person;
    ``second_person_prob`` of the frames with a second person); returns (labels.csv, skeleton
    root)."""
    import csv
    import dataclasses

    from mmimigue.datasets.synthetic.imigue_generator import make_subjects, plan_videos, write_video
    from mmimigue.protocol.imigue import IMIGUE_CSV_COLUMNS
    cfg = _config_for(18499)
    if second_person_prob is not None:
        cfg = dataclasses.replace(cfg, second_person_prob=second_person_prob)
    plans = plan_videos(cfg, make_subjects(cfg))[:num_videos]
    raw = osp.join(work_dir, 'json_subset')
    shutil.rmtree(raw, ignore_errors=True)
    rows = []
    for plan in plans:
        rows += write_video(plan, cfg, osp.join(raw, 'skeleton'))[0]
    ann = osp.join(raw, 'labels.csv')
    with open(ann, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(IMIGUE_CSV_COLUMNS))
        w.writeheader()
        w.writerows(rows)
    return ann, osp.join(raw, 'skeleton')


def _convert_fps(ann: str, root: str, out: str, workers: int = 1, **kwargs) -> tuple:
    from mmimigue.datasets.converters import convert_imigue
    t0 = time.time()
    content = convert_imigue(ann, root, out, progress=False, workers=workers, **kwargs)
    return content['summary']['frames'] / (time.time() - t0), content


def json_converter_speed(work_dir: str, num_videos: int) -> dict:
    """Time the official converter on ``num_videos`` JSON videos, inline vs mmap storage."""
    ann, root = write_json_subset(work_dir, num_videos)
    out = {}
    for storage in ('inline', 'mmap'):
        out[storage], content = _convert_fps(ann, root, osp.join(work_dir, f'{storage}.pkl'),
                                             storage=storage)
    return dict(videos=num_videos, frames=content['summary']['frames'],
                fps_inline=out['inline'], fps_mmap=out['mmap'])


def round_json_floats(root: str, decimals: int = 3) -> None:
    """Rewrite every frame file under ``root`` with coordinates rounded to ``decimals`` and
    scores to 6 places, compact separators: files the size of the real release's (about 3 KB
    instead of the generator's 7 KB of 17-digit float reprs), where parsing is a smaller share."""
    import glob
    for path in glob.glob(osp.join(root, '*', '*_keypoints.json')):
        with open(path) as f:
            content = json.load(f)
        for person in content['people']:
            for key, vals in person.items():
                if key.endswith('_keypoints_2d'):
                    person[key] = [round(v, decimals if i % 3 < 2 else 6)
                                   for i, v in enumerate(vals)]
        with open(path, 'w') as f:
            json.dump(content, f, separators=(',', ':'))


def _parser_race(ann: str, root: str, workers: int, rounds: int):
    _convert_fps(ann, root, None, workers, json_parser='stdlib')  # warm the page cache
    best, out = {'fast': 0.0, 'stdlib': 0.0}, {}
    for _ in range(rounds):
        for parser in best:
            fps, out[parser] = _convert_fps(ann, root, None, workers, json_parser=parser)
            best[parser] = max(best[parser], fps)
    return (best['fast'], best['stdlib'], out['fast']['summary']['frames'],
            same_clips(out['fast'], out['stdlib']))


def same_clips(a: dict, b: dict) -> bool:
    """Whether two conversions hold the same clips with bit-identical keypoints and scores."""
    import numpy as np
    return len(a['annotations']) == len(b['annotations']) and all(
        np.array_equal(x['keypoint'], y['keypoint']) and
        np.array_equal(x['keypoint_score'], y['keypoint_score'])
        for x, y in zip(a['annotations'], b['annotations']))


def converter_parser_speed(work_dir: str, num_videos: int, workers: int, rounds: int = 3) -> str:
    """The converter with orjson beside the stdlib JSON parser, on the same files, one run: the
    generator's files, then the same frames with release-like short floats.

    The two parsers alternate for ``rounds`` rounds after a warm-up pass (page cache); each
    keeps its best round, so a busy moment of a shared machine does not decide the ratio.
    """
    ann, root = write_json_subset(work_dir, num_videos)
    lines = []
    for label in ('generator floats (17 digits)', 'short floats (3 decimals, release-like)'):
        if label.startswith('short'):
            round_json_floats(root)
        fast, std, frames, same = _parser_race(ann, root, workers, rounds)
        lines.append(f'converter frames/s: {fast:.0f} (stdlib json {std:.0f}, ratio '
                     f'{fast / std:.2f}) on {frames} frames of {num_videos} videos, {label}, '
                     f'{workers} workers, best of {rounds} alternating rounds; identical output: '
                     f'{same}')
    return '\n'.join(lines)


def _raw_parse_fps(root: str) -> float:
    """The parse alone: every frame file's bytes already in memory, parsed by the converter's
    parser into a float32 array (no file system, no bookkeeping): the limit of the converter."""
    import glob

    from mmimigue.datasets.formats.openpose_json import _plain_people, read_openpose_people
    paths = sorted(glob.glob(osp.join(root, '*', '*_keypoints.json')))
    blobs = []
    for path in paths:
        with open(path, 'rb') as f:
            blobs.append(f.read())
    t0 = time.perf_counter()
    parsed = [_plain_people(raw) for raw in blobs]
    fps = len(blobs) / (time.perf_counter() - t0)
    fallback = [p for p, x in zip(paths, parsed) if x is None]
    for path in fallback:  # the validating path's files (empty people lists): parsed there
        read_openpose_people(path)
    return fps


def converter_per_core(work_dir: str, num_videos: int, rounds: int = 3,
                       second_person_prob: float = 0.25) -> str:
    """One core, release-like OpenPose JSON (3-decimal coordinates, face and hands for every
    person, ``second_person_prob`` of the frames with a second person): the clip path
    (:func:`convert_imigue`, the frames inside MG clips) and the streams path
    (:func:`convert_imigue_streams`, every frame) beside the parse alone on the same bytes (the
    limit) and the clip path with the stdlib JSON reader. Best of ``rounds`` alternating rounds
    after a warm-up pass (page cache)."""
    from mmimigue.datasets.converters.streams import convert_imigue_streams
    ann, root = write_json_subset(osp.join(work_dir, 'per_core'), num_videos, second_person_prob)
    round_json_floats(root)
    streams_out = osp.join(work_dir, 'per_core', 'streams.pkl')

    def streams_fps():
        for name in (streams_out, streams_out[:-4] + '.streams.npy'):
            if osp.exists(name):
                os.remove(name)
        t0 = time.perf_counter()
        content = convert_imigue_streams(ann, root, streams_out)
        return content['meta']['summary']['frames'] / (time.perf_counter() - t0), content

    runs = dict(
        limit=lambda: (_raw_parse_fps(root), None),
        clip=lambda: _convert_fps(ann, root, None, 1),
        streams=streams_fps,
        stdlib=lambda: _convert_fps(ann, root, None, 1, json_parser='stdlib'))
    best, out = dict.fromkeys(runs, 0.0), {}
    runs['clip']()  # warm the page cache
    for _ in range(rounds):
        for name, fn in runs.items():
            fps, out[name] = fn()
            best[name] = max(best[name], fps)
    clip = out['clip']['summary']
    stream = out['streams']['meta']['summary']
    goal = 50_000
    same = same_clips(out['clip'], out['stdlib'])
    return '\n'.join([
        f'converter, one core: {num_videos} videos, release-like OpenPose JSON (3 decimals, face + '
        f'hands per person, {clip["multi_person_frames"]} of {clip["frames"]} clip frames with '
        f'several people), best of {rounds} alternating rounds',
        f'  parse alone (bytes in memory -> float32, the limit) {best["limit"]:9.0f} frames/s',
        f'  clip path    ({clip["frames"]} clip frames)          {best["clip"]:9.0f} frames/s '
        f'({best["clip"] / best["limit"]:.2f} of the limit, {best["clip"] / best["stdlib"]:.1f}x '
        'the stdlib reader)',
        f'  streams path ({stream["frames"]} frames, every frame)  {best["streams"]:9.0f} frames/s '
        f'({best["streams"] / best["limit"]:.2f} of the limit)',
        f'  clip path, stdlib json reader               {best["stdlib"]:9.0f} frames/s '
        f'(identical output: {same})',
        f'  goal >= {goal} frames/s per core: clip path {"met" if best["clip"] >= goal else "NOT met"}'
        f', streams path {"met" if best["streams"] >= goal else "NOT met"}'])


# ----------------------------------------------------------------------------- child process

CASES = {
    'PoseDataset (mmaction2), inline, 137': dict(type='PoseDataset', file='imigue_inline.pkl'),
    'IMiGUESkeleton, mmap, openpose137': dict(type='MGIMiGUESkeletonDataset',
                                              file='imigue_mmap.pkl', layout='openpose137'),
    'IMiGUESkeleton, mmap, imigue22': dict(type='MGIMiGUESkeletonDataset',
                                           file='imigue_mmap.pkl', layout='imigue22'),
    'IMiGUESkeleton, inline, imigue22': dict(type='MGIMiGUESkeletonDataset',
                                             file='imigue_inline.pkl', layout='imigue22'),
}


def child(work_dir: str, case: str, workers: int, batch_size: int) -> None:
    """Open the dataset, then run one DataLoader pass; prints a JSON line of timings."""
    import torch
    torch.set_num_threads(1)
    from mmaction.registry import DATASETS
    from mmaction.utils import register_all_modules
    from mmengine.dataset import pseudo_collate

    import mmimigue.registration  # noqa: F401  (compat shims + registration)
    register_all_modules(init_default_scope=True)
    spec = CASES[case]
    pipeline = [dict(type='UniformSampleFrames', clip_len=64), dict(type='PoseDecode'),
                dict(type='FormatGCNInput', num_person=1), dict(type='PackActionInputs')]
    cfg = dict(type=spec['type'], ann_file=osp.join(work_dir, spec['file']), split='all',
               pipeline=pipeline)
    if 'layout' in spec:
        cfg['layout'] = spec['layout']
    print('READY', flush=True)
    sys.stdin.readline()  # the parent's memory monitor is running
    t0 = time.time()
    ds = DATASETS.build(cfg)
    open_s = time.time() - t0
    loader = torch.utils.data.DataLoader(ds, batch_size=batch_size, num_workers=workers,
                                         collate_fn=pseudo_collate, shuffle=False)
    t0 = time.time()
    seen = 0
    shape = None
    for batch in loader:
        seen += len(batch['inputs'])
        shape = tuple(batch['inputs'][0].shape)
    pass_s = time.time() - t0
    print('RESULT ' + json.dumps(dict(open_s=open_s, pass_s=pass_s, clips=seen, shape=shape)),
          flush=True)


def run_case(work_dir: str, case: str, workers: int, batch_size: int) -> dict:
    cmd = [sys.executable, '-W', 'ignore', osp.abspath(__file__), '--child', case,
           '--work-dir', work_dir, '--workers', str(workers), '--batch-size', str(batch_size)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith('READY'):
        raise RuntimeError(f'{case}: child failed to start: {line}')
    base = TreeMemoryMonitor(proc.pid)
    base.sample()  # after imports, before the dataset exists
    with TreeMemoryMonitor(proc.pid) as mon:
        proc.stdin.write('go\n')
        proc.stdin.flush()
        result = None
        for line in proc.stdout:
            if line.startswith('RESULT '):
                result = json.loads(line[7:])
        proc.wait()
    if proc.returncode != 0 or result is None:
        raise RuntimeError(f'{case}: child exited with {proc.returncode}')
    result.update(peak_pss_mb=mon.peak_pss_kb / 1024, peak_rss_mb=mon.peak_rss_kb / 1024,
                  peak_anon_mb=mon.peak_anon_kb / 1024,
                  import_pss_mb=base.peak_pss_kb / 1024, processes=mon.max_procs)
    return result


# ----------------------------------------------------------------------------- report

def report(gen: dict, conv: Optional[dict], results: Dict[str, dict]) -> str:
    lines = [f"dataset: {gen['clips']} clips, {gen['frames']} frames, 137 OpenPose points; "
             f"inline pickle {gen['inline_bytes'] / 2**20:.0f} MB, mmap pickle "
             f"{gen['mmap_pickle_bytes'] / 2**20:.1f} MB + store "
             f"{gen['store_bytes'] / 2**20:.0f} MB",
             '', 'converter frames/s                    inline (PoseDataset)   mmap (mmimigue)   '
             'ratio']
    if conv:
        lines.append(f"  OpenPose JSON ({conv['videos']} videos, {conv['frames']} frames)"
                     f"  {conv['fps_inline']:>10.0f}  {conv['fps_mmap']:>16.0f}  "
                     f"{conv['fps_mmap'] / conv['fps_inline']:>8.2f}x")
    wi, wm = gen['frames'] / gen['write_inline_s'], gen['frames'] / gen['write_mmap_s']
    lines.append(f"  writing the full dataset (arrays)       {wi:>10.0f}  {wm:>16.0f}  "
                 f"{wm / wi:>8.2f}x")
    base = results[next(iter(CASES))]
    lines += ['', f"{'dataset':42s}{'open s':>8s}{'ratio':>7s}{'peak PSS MB':>12s}{'ratio':>7s}"
                  f"{'anon PSS MB':>12s}{'ratio':>7s}{'RSS MB':>8s}{'pass s':>8s}  sample"]
    for case, r in results.items():
        lines.append(
            f"{case:42s}{r['open_s']:8.2f}{base['open_s'] / r['open_s']:6.1f}x"
            f"{r['peak_pss_mb']:12.0f}{base['peak_pss_mb'] / r['peak_pss_mb']:6.1f}x"
            f"{r['peak_anon_mb']:12.0f}{base['peak_anon_mb'] / r['peak_anon_mb']:6.1f}x"
            f"{r['peak_rss_mb']:8.0f}{r['pass_s']:8.1f}  {tuple(r['shape'])}")
    lines.append('ratio = PoseDataset value / this value (higher is better for mmimigue). PSS: '
                 'proportional set size summed over the main process and its workers (shared '
                 'pages split between them, memory-mapped file pages included); anon PSS: its '
                 'anonymous part (file pages excluded); RSS: summed resident size (shared pages '
                 f"counted per process). PSS after imports, before opening: "
                 f"{base['import_pss_mb']:.0f} MB")
    return '\n'.join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--work-dir', default='/tmp/mmimigue_data_bench')
    p.add_argument('--clips', type=int, default=18499, help='clips in the synthetic dataset')
    p.add_argument('--json-videos', type=int,
                   help='videos written as JSON for the converter speed (0: skip; default 3, '
                   'with --converter 8)')
    p.add_argument('--rounds', type=int, default=3, help='--converter: alternating rounds')
    p.add_argument('--workers', type=int, default=4)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--regenerate', action='store_true', help='ignore a cached dataset')
    p.add_argument('--cases', nargs='+', choices=list(CASES), default=list(CASES))
    p.add_argument('--converter', action='store_true',
                   help='only the OpenPose JSON converter: orjson vs the stdlib parser')
    p.add_argument('--converter-workers', type=int, default=2)
    p.add_argument('--child', help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.converter:
        os.makedirs(args.work_dir, exist_ok=True)
        videos = args.json_videos or 8
        print(converter_per_core(args.work_dir, videos, args.rounds), flush=True)
        print(converter_parser_speed(args.work_dir, videos, args.converter_workers, args.rounds))
        return 0
    if args.child:
        child(args.work_dir, args.child, args.workers, args.batch_size)
        return 0
    os.makedirs(args.work_dir, exist_ok=True)
    cached = osp.join(args.work_dir, 'generated.json')
    if osp.isfile(cached) and not args.regenerate and \
            json.load(open(cached))['clips'] == args.clips:
        gen = json.load(open(cached))
        print(f'using the dataset cached in {args.work_dir}')
    else:
        print(f'rendering {args.clips} synthetic clips ...', flush=True)
        gen = generate(args.work_dir, args.clips)
    conv = None
    args.json_videos = 3 if args.json_videos is None else args.json_videos
    if args.json_videos:
        print(f'JSON converter on {args.json_videos} videos ...', flush=True)
        conv = json_converter_speed(args.work_dir, args.json_videos)
    results = {}
    baseline = next(iter(CASES))
    for case in [baseline] + [c for c in args.cases if c != baseline]:
        print(f'{case}: open + {args.workers}-worker pass ...', flush=True)
        results[case] = run_case(args.work_dir, case, args.workers, args.batch_size)
    text = report(gen, conv, results)
    print()
    print(text)
    with open(osp.join(args.work_dir, 'report.txt'), 'w') as f:
        f.write(text + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
