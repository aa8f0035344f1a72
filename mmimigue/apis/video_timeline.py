"""A video's MG timeline from :func:`~mmimigue.apis.stream_detection`'s output: windows with their
top MGs, segments in frames and seconds, and the video-level emotion estimate over them (what
``tools/demo/video_demo.py`` writes as JSON and draws)."""
from typing import Dict, List, Sequence

import numpy as np

EMOTION_MODALITIES = ('prob', 'score', 'pred_label')


def timeline_windows(out: Dict, person: np.ndarray, stride: int, window: int
                     ) -> Dict[str, np.ndarray]:
    """The timeline's windows: a clip recognizer's own windows, or cells of ``stride`` frames of
    an online model's frame probabilities (the background column left out).

    Returns:
        dict: ``starts`` (N,), ``ends`` (N,) exclusive, ``valid`` (N,) bool (a person is in it),
        ``probs`` / ``scores`` (N, K).
    """
    num = len(person)
    if out.get('windows') is not None:
        w = out['windows']
        starts = np.asarray(w['starts'])
        return dict(starts=starts, ends=np.minimum(starts + window, num), valid=w['valid'],
                    probs=w['probs'], scores=w['scores'])
    starts = np.arange(0, num, stride)
    mg = out['frame_probs'][:, :-1]
    probs = np.stack([mg[s:s + stride].mean(0) for s in starts])
    valid = np.array([person[s:s + stride].any() for s in starts])
    return dict(starts=starts, ends=np.minimum(starts + stride, num), valid=valid, probs=probs,
                scores=probs)


def window_dicts(win: Dict[str, np.ndarray], person: np.ndarray, names: Sequence[str],
                 first: int, fps: float, topk: int) -> List[Dict]:
    """One dict per timeline window: frames / times in the video, its person ratio and its top
    ``topk`` MGs (none for a window without a person)."""
    out = []
    for i, (s, e) in enumerate(zip(win['starts'].tolist(), win['ends'].tolist())):
        top = []
        if win['valid'][i]:
            order = np.argsort(-win['probs'][i])[:topk]
            top = [dict(label=int(k), name=names[k], score=float(win['probs'][i, k]))
                   for k in order]
        out.append(dict(index=i, start_frame=first + s, end_frame=first + e - 1,
                        start_time=(first + s) / fps, end_time=(first + e) / fps,
                        person_ratio=float(person[s:e].mean()), top=top))
    return out


def segment_dicts(segments, names: Sequence[str], first: int, fps: float) -> List[Dict]:
    """``(start, end, label, score)`` stream segments as dicts in video frames and seconds."""
    return [dict(label=int(c), name=names[int(c)], start_frame=first + int(a),
                 end_frame=first + int(b), start_time=(first + int(a)) / fps,
                 end_time=(first + int(b) + 1) / fps, score=float(sc))
            for a, b, c, sc in segments]


def emotion_estimate(emo_model, scores: np.ndarray, probs: np.ndarray) -> Dict:
    """Run a video-level emotion model on a sequence of window outputs.

    The emotion config's ``modality`` (``prob``, ``score`` or ``pred_label``) picks what it
    reads. Returns ``{label, prob_win, prob_lose, modality, num_windows}``.
    """
    import torch
    from mmaction.structures import ActionDataSample

    from ..datasets.imigue_emotion_dataset import mg_emotion_pad_collate
    from .clip_inference import to_probability
    cfg = emo_model.cfg
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader') or {}
    modality = loader.get('dataset', {}).get('modality', 'pred_label')
    if modality not in EMOTION_MODALITIES:
        raise ValueError(f'{cfg.filename}: emotion modality {modality!r} cannot be built from '
                         f'a clip model at inference time; use one of {EMOTION_MODALITIES}')
    seq = dict(prob=torch.from_numpy(np.asarray(probs, np.float32)),
               score=torch.from_numpy(np.asarray(scores, np.float32)),
               pred_label=torch.from_numpy(np.asarray(probs).argmax(-1).astype(np.int64))
               )[modality]
    batch = mg_emotion_pad_collate([dict(inputs=dict(seq=seq), data_samples=ActionDataSample())])
    with torch.no_grad():
        sample = emo_model.test_step(batch)[0]
    p = to_probability(sample.pred_score.detach().float().cpu().numpy().reshape(1, -1))[0]
    classes = ('lose', 'win')
    return dict(label=classes[int(p.argmax())], prob_win=float(p[1]), prob_lose=float(p[0]),
                modality=modality, num_windows=int(len(seq)))


#: Below this length a video is far from the training domain: iMiGUE's interviews run for minutes.
SHORT_VIDEO_S = 60.0


def domain_caveats(duration_s: float, multi_person_ratio: float,
                   emotion_windows: int = 0) -> List[str]:
    """Plain warnings for inputs unlike the training data (iMiGUE: one seated speaker at a
    post-match press conference, interviews of several minutes); empty when none applies."""
    out = []
    if duration_s < SHORT_VIDEO_S:
        out.append(f'the video is {duration_s:.0f} s long; the models were trained on '
                   'press-conference interviews of several minutes, so MG labels are guesses '
                   'outside that setting')
        if emotion_windows:
            out.append(f'the emotion estimate rests on {emotion_windows} window(s); it was '
                       'trained on whole interviews and says little about a short clip')
    if multi_person_ratio > 0.2:
        out.append(f'{100 * multi_person_ratio:.0f} % of the frames show several people; the '
                   'training videos show one speaker')
    return out
