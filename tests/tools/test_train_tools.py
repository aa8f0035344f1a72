"""tools/train.py end to end: ST-GCN learns on held-out subjects, resume, 2-process gloo DDP."""
import collections
import glob
import json
import os
import os.path as osp
import pickle
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CONFIG = osp.join(REPO_ROOT, 'configs', 'imigue', 'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')


def _small(ann_file, epochs):
    """A narrow ST-GCN on 32-frame clips: the default config, scaled for a 2-core CPU (its
    cosine schedule follows max_epochs by itself)."""
    opts = [f'train_cfg.max_epochs={epochs}',
            'model.backbone.base_channels=16', 'model.cls_head.in_channels=64',
            'train_dataloader.dataset.pipeline.2.clip_len=32',
            'val_dataloader.dataset.pipeline.1.clip_len=32',
            'test_dataloader.dataset.pipeline.1.clip_len=32',
            'test_dataloader.dataset.pipeline.1.num_clips=2', 'optim_wrapper.optimizer.lr=0.05']
    for split in ('train', 'val', 'test'):
        opts += [f'{split}_dataloader.dataset.ann_file={ann_file}',
                 f'{split}_dataloader.num_workers=0', f'{split}_dataloader.persistent_workers=False']
    return opts


def _run(args, **kwargs):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    res = subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, env=env, **kwargs)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return res


def _val_metrics(work_dir):
    rows = []
    for path in glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')):
        with open(path) as f:
            rows += [json.loads(line) for line in f]
    return [r for r in rows if 'acc/top1' in r]


def test_stgcn_beats_chance_on_held_out_subjects(synthetic_imigue_pkl, tmp_path):
    work_dir = str(tmp_path / 'stgcn')
    _run([sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir, '--seed', '0',
          '--cfg-options', *_small(synthetic_imigue_pkl, 8)])
    final = _val_metrics(work_dir)[-1]
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    labels = {a['frame_dir']: a['label'] for a in content['annotations']}
    counts = collections.Counter(labels[n] for n in content['split']['xsub_test'])
    majority = counts.most_common(1)[0][1] / sum(counts.values())
    # Held-out subjects only. The classes are long-tailed, so mean class accuracy is the measure
    # that a majority-class predictor cannot fake (it would score 1/32).
    assert final['acc/mean1'] > 2.5 / 32, final
    assert final['acc/top1'] > max(3 / 32, majority), (final, majority)
    # the curves: TensorBoard event files by default, and the PNG drawn from the same scalars
    events = glob.glob(osp.join(work_dir, '*', 'vis_data', 'events.out.tfevents.*'))
    assert len(events) == 1 and osp.getsize(events[0]) > 0
    from mmimigue.visualization.training_curves import plot_curves
    info = plot_curves(work_dir, osp.join(work_dir, 'curves.png'))
    assert info['epochs'] == 8 and 'acc/top1' in info['metrics'] and info['iterations'] >= 8
    assert osp.getsize(osp.join(work_dir, 'curves.png')) > 10_000
    # the tool never writes its figure over the logs it reads
    scalars = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))[0]
    before = open(scalars).read()
    res = subprocess.run([sys.executable, 'tools/analysis/plot_curves.py', work_dir, '--out',
                          scalars], cwd=REPO_ROOT, capture_output=True, text=True)
    assert res.returncode != 0 and 'would overwrite the input' in res.stderr
    assert open(scalars).read() == before


def test_resume_continues_a_stopped_run(synthetic_imigue_pkl, tmp_path):
    work_dir = str(tmp_path / 'resume')
    opts = _small(synthetic_imigue_pkl, 1) + ['train_dataloader.batch_size=32']
    _run([sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir, '--no-validate',
          '--cfg-options', *opts])
    assert osp.exists(osp.join(work_dir, 'epoch_1.pth'))
    # a run killed while saving epoch 2: a cut file that last_checkpoint names
    cut = osp.join(work_dir, 'epoch_2.pth')
    with open(osp.join(work_dir, 'epoch_1.pth'), 'rb') as f, open(cut, 'wb') as g:
        g.write(f.read()[:1000])
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
        f.write(cut)
    opts = _small(synthetic_imigue_pkl, 2) + ['train_dataloader.batch_size=32']
    res = _run([sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir, '--resume',
                '--no-validate', '--cfg-options', *opts])
    log = res.stdout + res.stderr
    assert f'not resuming from {cut}: truncated' in log and 'resuming from' in log
    assert 'resumed epoch: 1' in log and 'Epoch(train) [2]' in log and 'Epoch(train) [1]' not in log
    assert osp.exists(osp.join(work_dir, 'epoch_2.pth'))


def test_dist_train_two_cpu_processes(synthetic_imigue_pkl, tmp_path):
    work_dir = str(tmp_path / 'dist')
    env_path = osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', '')
    res = subprocess.run(
        ['bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir', work_dir, '--cfg-options',
         *_small(synthetic_imigue_pkl, 1)], cwd=REPO_ROOT, capture_output=True, text=True,
        env=dict(os.environ, PATH=env_path, PYTHON=sys.executable, OMP_NUM_THREADS='1',
                 PORT=str(29500 + os.getpid() % 1000)), timeout=600)
    log = res.stdout + res.stderr
    assert res.returncode == 0, log[-4000:]
    assert 'Distributed training: True' in log and "device_ids=None" in log
    with open(synthetic_imigue_pkl, 'rb') as f:
        num_val = len(pickle.load(f)['split']['xsub_val'])
    per_rank = -(-num_val // 2)  # DefaultSampler shards the validation split over the 2 ranks
    assert f'Epoch(val) [1][{-(-per_rank // 16)}/{-(-per_rank // 16)}]' in log
    assert _val_metrics(work_dir) and osp.exists(osp.join(work_dir, 'epoch_1.pth'))


def test_test_tool_refuses_a_mismatched_checkpoint(synthetic_imigue_pkl, tmp_path):
    """A checkpoint trained narrower (--cfg-options) is not tested with the wider config's
    random weights: tools/test.py stops and names the config saved beside the checkpoint."""
    work_dir = str(tmp_path / 'narrow')
    _run([sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir, '--no-validate',
          '--cfg-options', *_small(synthetic_imigue_pkl, 1)])
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    data = [o for o in _small(synthetic_imigue_pkl, 1) if 'dataloader' in o and 'clip_len' not in o
            and 'num_clips' not in o]
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    res = subprocess.run([sys.executable, 'tools/test.py', CONFIG, ckpt, '--work-dir',
                          str(tmp_path / 'wide'), '--cfg-options', *data], cwd=REPO_ROOT,
                         capture_output=True, text=True, env=env)
    saved = osp.join(work_dir, osp.basename(CONFIG))
    assert res.returncode != 0
    assert 'does not match' in res.stderr and saved in res.stderr, res.stderr[-2000:]
    assert not osp.exists(str(tmp_path / 'wide' / 'results.pkl'))
    dump = str(tmp_path / 'ok' / 'scores.pkl')
    res = _run([sys.executable, 'tools/test.py', saved, ckpt, '--work-dir', str(tmp_path / 'ok'),
                '--dump', dump])
    assert 'Epoch(test)' in res.stdout + res.stderr
    # --dump: one record per test clip, in dataset order, named by frame_dir (for fusion)
    from mmimigue.evaluation import load_score_dump
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    test = set(content['split']['xsub_test'])
    expected = [(a['frame_dir'], a['label']) for a in content['annotations']
                if a['frame_dir'] in test]
    records = load_score_dump(dump)
    assert [(r['frame_dir'], r['gt_label']) for r in records] == expected
    assert records[0]['pred_score'].shape == (32, )
    # the work dir alone: its saved config and its checkpoint (here the last one, no best_*)
    res = _run([sys.executable, 'tools/test.py', work_dir, '--work-dir', str(tmp_path / 'ok2')])
    assert 'Epoch(test)' in res.stdout + res.stderr
    assert f'executing the config saved in {work_dir}: {saved}' in res.stdout  # configs are code
    # --dump never replaces the data it tests
    before_pkl = open(synthetic_imigue_pkl, 'rb').read()
    res = subprocess.run([sys.executable, 'tools/test.py', work_dir, '--work-dir',
                          str(tmp_path / 'ok3'), '--dump', synthetic_imigue_pkl], cwd=REPO_ROOT,
                         capture_output=True, text=True, env=env)
    assert res.returncode != 0 and 'would overwrite the input' in res.stderr, res.stderr[-1500:]
    assert open(synthetic_imigue_pkl, 'rb').read() == before_pkl
    # testing into the training work dir with other options keeps the config it was trained with
    before = open(saved).read()
    res = _run([sys.executable, 'tools/test.py', work_dir, '--work-dir', work_dir,
                '--cfg-options', 'test_dataloader.dataset.split=xsub_train'])
    assert open(saved).read() == before
    assert osp.isfile(osp.join(work_dir, 'test', osp.basename(CONFIG)))


def test_train_refuses_an_option_nothing_reads(tmp_path):
    """`--cfg-options max_epochs=1` (top level) is an error naming train_cfg.max_epochs, not an
    80-epoch run; a type given as a dotted path is refused before anything is imported."""
    marker = tmp_path / 'ran'
    for option, expected in (('max_epochs=1', 'train_cfg.max_epochs'),
                             ('train_cfg.max_epoch=1', 'did you mean train_cfg.max_epochs'),
                             (f'default_hooks.x.type=os.mkdir default_hooks.x.path={marker}',
                              '--allow-code')):
        res = subprocess.run([sys.executable, 'tools/train.py', CONFIG, '--work-dir',
                              str(tmp_path), '--cfg-options', *option.split()], cwd=REPO_ROOT,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode != 0 and expected in res.stderr, res.stderr[-1500:]
    assert not osp.exists(str(tmp_path / 'epoch_1.pth')) and not marker.exists()


def test_stage_two_loads_the_last_checkpoint_of_a_work_dir(synthetic_imigue_pkl, tmp_path):
    """load_from naming a folder (a stage-1 work dir) takes its newest checkpoint, whatever the
    stage-1 run's length; an empty folder is a clear stop."""
    import torch
    empty = tmp_path / 'stage1_empty'
    empty.mkdir()
    res = subprocess.run([sys.executable, 'tools/train.py', CONFIG, '--work-dir',
                          str(tmp_path / 'wd'), '--load-from', str(empty)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and 'holds no readable checkpoint' in res.stderr, res.stderr[-800:]
    from mmimigue.engine.checkpoint_loading import last_checkpoint
    stage1 = tmp_path / 'stage1'
    stage1.mkdir()
    for epoch in (2, 3):
        torch.save(dict(state_dict={}, meta=dict(epoch=epoch)), str(stage1 / f'epoch_{epoch}.pth'))
    (stage1 / 'last_checkpoint').write_text(str(stage1 / 'epoch_3.pth'))
    assert last_checkpoint(str(stage1)).endswith('epoch_3.pth')
