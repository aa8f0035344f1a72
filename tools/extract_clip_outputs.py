"""Run a trained clip-level MG model over every clip of every video and store its outputs.

Usage::

    python tools/extract_clip_outputs.py CONFIG CKPT [--out data/imigue/clip_outputs.pkl]
        [--splits xsub_train xsub_test] [--batch-size 16] [--device cpu]
        [--feature-layer cls_head.fc] [--cfg-options key=value ...]

Works with any mmaction2 recognizer config: the model is built from ``CONFIG``, ``CKPT`` is
loaded, and the config's test pipeline (``test_dataloader``, or ``val_dataloader`` with
``--dataloader val``) is run once per clip-level split (the dataset's ``split`` argument is set
to each of ``--splits``; ``--splits all`` passes ``split=None``, i.e. every annotation). For
each clip it stores the class scores, the probability vector, the predicted label, the pooled
feature (the input of the head's last linear layer, averaged over the test views), the
ground-truth label, start / end frames and the video metadata (``video_id``, ``subject_id``,
``emotion``). Clips are grouped per video in temporal order; the file format is documented in
:mod:`mmimigue.emotion.clip_outputs` and docs/emotion.md.

Clips predicted by a model trained on them (``clip_split == 'xsub_train'`` with the default
setting) carry optimistic predictions; the emotion dataset can keep only some clip splits
(``clip_splits=('xsub_test',)``).
"""
import argparse
import pickle
import sys
from typing import List, Optional

DEFAULT_OUT = 'data/imigue/clip_outputs.pkl'


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='clip-level model config')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    parser.add_argument('--out', default=DEFAULT_OUT, help=f'output pickle ({DEFAULT_OUT})')
    parser.add_argument('--splits', nargs='+', default=['xsub_train', 'xsub_test'],
                        help="clip-level splits to run ('all' = split=None: every clip)")
    parser.add_argument('--dataloader', choices=['test', 'val'], default='test',
                        help='whose dataset / pipeline to use (default: test_dataloader)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--device', default='cpu', help='torch device (cpu, cuda, cuda:1)')
    parser.add_argument('--feature-layer', default='auto',
                        help="module whose input is the pooled feature, e.g. 'cls_head.fc_cls' "
                        "(default 'auto': the head's last nn.Linear; for visual-text heads the "
                        'visual embedding, the output of cls_head.visual_proj)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, key=value')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> str:
    args = parse_args(argv)
    from mmimigue.apis import CheckpointMismatchError
    from mmimigue.apis.extract_clip_outputs import extract_clip_outputs
    from mmimigue.fileio import OutputPlan, atomic_write
    from mmimigue.registration import register_all_modules
    register_all_modules()
    OutputPlan(inputs=[args.config, args.checkpoint]).add(args.out)
    try:
        content = extract_clip_outputs(args.config, args.checkpoint, args.splits,
                                       args.dataloader, args.batch_size, args.num_workers,
                                       args.device, args.feature_layer, args.cfg_options)
    except (CheckpointMismatchError, FileNotFoundError, ValueError) as e:
        sys.exit(f'extract_clip_outputs: {e}')
    atomic_write(args.out, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    clips = sum(len(v['frame_dir']) for v in content['videos'].values())
    print(f'[extract_clip_outputs] wrote {clips} clips of {len(content["videos"])} videos '
          f'to {args.out} (clip top-1 over all clips: {content["meta"]["clip_top1"]:.4f})',
          flush=True)
    return args.out


if __name__ == '__main__':
    main()
