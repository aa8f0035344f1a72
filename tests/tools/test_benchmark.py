"""tools/benchmark.py: equal-budget config edits, schedule compression, table, one real run."""
import json
import os.path as osp
import pickle

import numpy as np
import pytest
from cli import run_tool
from mmengine.config import Config

from mmimigue.apis import benchmark
from mmimigue.evaluation.knn import classwise_nn_scores

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MGGECN = 'configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py'
GECN_SMG = 'configs/smg/gecn_1xb32-joint-u64-110e_smg-xsub-keypoint-3d.py'
MGUSVAE = 'configs/imigue/usvae_blstm_1xb32-seq-100e_imigue-xsub-keypoint-2d.py'


def test_schedules_are_compressed_to_the_budget():
    scheds = [
        dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5),
        dict(type='MultiStepLR', begin=0, end=110, by_epoch=True, milestones=[90, 100]),
    ]
    out = benchmark.scale_schedulers(scheds, 11 / 110, 11)
    assert out[0]['end'] == 1 and out[0]['begin'] == 0
    assert out[1]['end'] == 11 and out[1]['milestones'] == [9, 10]
    cos = benchmark.scale_schedulers(dict(type='CosineAnnealingLR', T_max=16, by_epoch=True),
                                     4 / 16, 4)
    assert cos['T_max'] == 4
    # iteration-based schedulers are left alone
    it = dict(type='LinearLR', by_epoch=False, begin=0, end=500)
    assert benchmark.scale_schedulers([it], 0.1, 2) == [it]
    # milestones never collapse below epoch 1
    assert benchmark.scale_schedulers([dict(type='MultiStepLR', milestones=[10, 50])],
                                      2 / 80, 2)[0]['milestones'] == [1]


def test_cosine_schedule_option_builds_and_decays(tmp_path):
    from mmengine.optim.scheduler import CosineAnnealingLR, LinearLR  # noqa: F401
    cfg = Config.fromfile(osp.join(ROOT, MGGECN))
    cfg = benchmark.prepare_config(cfg, _args(schedule='cosine'), str(tmp_path))
    assert [s['type'] for s in cfg.param_scheduler] == ['LinearLR', 'CosineAnnealingLR']
    assert cfg.param_scheduler[1]['T_max'] == 2 and cfg.param_scheduler[1]['end'] == 3
    assert benchmark.cosine_schedule(1)[0]['end'] == 1
    assert '--schedule cosine' in benchmark.reproduce_command('c.py', _args(schedule='cosine'))


def _args(**kw):
    args = benchmark.parse_args(['--epochs', '3', '--ann-file', '/x/ann.pkl'])
    for k, v in kw.items():
        setattr(args, k, v)
    return args


def test_prepare_config_equalises_data_and_budget(tmp_path):
    cfg = Config.fromfile(osp.join(ROOT, GECN_SMG))  # RepeatDataset x5
    cfg = benchmark.prepare_config(cfg, _args(), str(tmp_path))
    assert cfg.train_cfg.max_epochs == 3
    assert cfg.val_cfg is None and cfg.val_dataloader is None
    assert cfg.train_dataloader.dataset.type == 'MGSMGSkeletonDataset'  # repeat removed
    for loader in (cfg.train_dataloader, cfg.test_dataloader):
        assert loader.dataset.ann_file == '/x/ann.pkl' and loader.num_workers == 0
    assert cfg.param_scheduler[1]['milestone_fractions'] == [18 / 22, 20 / 22]  # follow max_epochs

    gcn = Config.fromfile(osp.join(ROOT, MGGECN))
    gcn = benchmark.prepare_config(gcn, _args(test_clips=1), str(tmp_path))
    sampler = [s for s in gcn.test_dataloader.dataset.pipeline
               if s['type'] == 'UniformSampleFrames']
    assert sampler[0]['num_clips'] == 1

    ssl = Config.fromfile(osp.join(ROOT, MGUSVAE))
    ssl = benchmark.prepare_config(ssl, _args(), str(tmp_path))
    hook = ssl.custom_hooks[0]
    assert hook.interval == 0  # evaluated once by the benchmark, after training
    assert hook.bank_dataloader.dataset.ann_file == '/x/ann.pkl'
    assert hook.query_dataloader.dataset.split == 'xsub_test'


def test_classwise_nn_scores_give_1nn_top1():
    import torch
    g = torch.Generator().manual_seed(0)
    bank, labels = torch.randn(50, 8, generator=g), torch.arange(50) % 5
    query = torch.randn(20, 8, generator=g)
    scores = classwise_nn_scores(bank, labels, query, 5, 'cosine')
    sim = torch.nn.functional.normalize(query, dim=1) @ torch.nn.functional.normalize(
        bank, dim=1).t()
    assert torch.equal(scores.argmax(1), labels[sim.argmax(1)])
    for c in range(5):
        torch.testing.assert_close(scores[:, c], sim[:, labels == c].max(1).values)


def test_markdown_keeps_published_numbers_separate():
    row = dict(name='gecn', config=MGGECN, eval='test loop (AccMetric)',
               top1=12.5, top5=40.0, mean1=8.0, params=1_780_000, batch_size=32,
               train_iter_s=1.234, clips_per_s=10.0, peak_mem_mb=900., mem_kind='CPU max RSS',
               num_train=438, num_test=304)
    md = benchmark.render_markdown([row], _args(data_note='Synthetic iMiGUE.'),
                                   {'configs/x.py': 'boom'})
    measured, published = md.split('## Published numbers')
    assert f'| gecn | `{MGGECN}` |' in measured and '| 12.50 | 40.00 | 8.00 |' in measured
    assert '1.78 M' in measured and f'python tools/benchmark.py {MGGECN}' in measured
    assert 'failed: boom' in measured and 'Synthetic iMiGUE.' in measured
    assert '56.12' in published and '32.43' in published and '56.12' not in measured
    assert 'Table 2' in published


def _tiny_ann(path, num_train=24, num_test=16, frames=(12, 20), seed=0):
    """A 137-keypoint PoseDataset pickle whose class decides a wrist's height."""
    rng = np.random.default_rng(seed)
    annos, split = [], {'xsub_train': [], 'xsub_test': []}
    for i in range(num_train + num_test):
        label = i % 4
        t = int(rng.integers(*frames))
        kp = rng.normal(640, 5, size=(1, t, 137, 2)).astype(np.float32)
        kp[0, :, 4, 1] -= 60 * label  # right wrist height encodes the class
        name = f'{i:04d}_{label}'
        annos.append(dict(frame_dir=name, label=label, total_frames=t, img_shape=(720, 1280),
                          original_shape=(720, 1280), keypoint=kp,
                          keypoint_score=np.ones((1, t, 137), np.float32)))
        split['xsub_train' if i < num_train else 'xsub_test'].append(name)
    with open(path, 'wb') as f:
        pickle.dump(dict(split=split, annotations=annos), f)


@pytest.mark.parametrize('config,options', [
    (MGGECN,
     ['model.backbone.num_stages=2', 'model.backbone.base_channels=8',
      'model.backbone.inflate_stages=[2]', 'model.backbone.down_stages=[2]',
      'model.cls_head.in_channels=16', 'train_dataloader.batch_size=8']),
    (MGUSVAE, ['model.hidden_size=8', 'model.decoder_hidden_size=8',
                                 'train_dataloader.batch_size=8']),
])
def test_end_to_end_row(tmp_path, config, options):
    ann = tmp_path / 'ann.pkl'
    _tiny_ann(ann)
    out = tmp_path / 'bench.md'
    proc = run_tool('tools', 'benchmark.py', check=False, args=[
        config, '--epochs', '1', '--ann-file', ann, '--out', out, '--work-dir', tmp_path / 'wd',
        '--test-clips', '2', '--cfg-options', *options])
    name = osp.splitext(osp.basename(config))[0]
    assert proc.returncode == 0, (tmp_path / 'wd' / f'{name}.log').read_text()[-3000:]
    row = json.loads((tmp_path / 'wd' / f'{name}.json').read_text())
    assert row['num_test'] == 16 and row['num_train'] == 24
    assert 0 <= row['top1'] <= 100 and 0 <= row['top5'] <= 100 and row['top5'] >= row['top1']
    assert row['params'] > 0 and row['train_iter_s'] > 0 and row['clips_per_s'] > 0
    assert row['peak_mem_mb'] > 50
    assert f'| {name} |' in out.read_text()
    # the table can be re-rendered (e.g. with notes) without training again
    saved = json.loads((tmp_path / 'wd' / 'results.json').read_text())
    assert saved['args']['epochs'] == 1 and saved['rows'][0]['name'] == name
    again = tmp_path / 'again.md'
    run_tool('tools', 'benchmark.py', args=['--render-only', '--work-dir', tmp_path / 'wd',
                                            '--out', again, '--note', 'A note.'])
    text = again.read_text()
    assert f'| {name} |' in text and 'A note.' in text and '1 epoch(s)' in text
