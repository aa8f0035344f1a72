"""OpenAI-compatible client, reasoning loop and CLI against a fake server on 127.0.0.1."""
import json
import os.path as osp
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cli import run_tool

from mmimigue.emotion.llm_client import ChatClient, LLMRequestError
from mmimigue.emotion.llm_reasoning import reason_about_videos

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


class FakeServer:
    """Chat-completions server; ``script`` is a list of (status, body, delay) replies, used in
    order (the last repeats); ``answer`` (messages -> text) is used when the script is empty."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.answer = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                server.requests.append(dict(path=self.path, headers=dict(self.headers),
                                            body=json.loads(body)))
                if server.script:
                    status, reply, delay = (server.script.pop(0) if len(server.script) > 1
                                            else server.script[0])
                else:
                    text = server.answer(server.requests[-1]['body']['messages'])
                    status, reply, delay = 200, _completion(text), 0
                time.sleep(delay)
                data = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    if status == 429:
                        self.send_header('Retry-After', '0')
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}/v1'
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _completion(text):
    return {'id': 'x', 'object': 'chat.completion',
            'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': text}}]}


@pytest.fixture
def server():
    s = FakeServer()
    yield s
    s.close()


def _client(server, **kw):
    return ChatClient(server.url, api_key='sk-test', model='fake-model',
                      **{**dict(timeout=5, max_retries=2, backoff=0.01), **kw})


def test_success_sends_model_messages_and_key(server):
    server.script = [(200, _completion('text-only: win: 1, lose: 99'), 0)]
    msgs = [dict(role='user', content='hello')]
    assert _client(server).chat(msgs, temperature=0) == 'text-only: win: 1, lose: 99'
    req = server.requests[0]
    assert req['path'] == '/v1/chat/completions'
    assert req['headers']['Authorization'] == 'Bearer sk-test'
    assert req['body'] == dict(model='fake-model', messages=msgs, temperature=0)


def test_retries_transient_errors(server):
    server.script = [(500, {'error': 'boom'}, 0), (429, {'error': 'slow down'}, 0),
                     (200, _completion('ok'), 0)]
    client = _client(server)
    assert client.chat([dict(role='user', content='x')]) == 'ok'
    assert client.num_requests == 3 and client.num_retries == 2


def test_gives_up_after_retries_and_on_client_errors(server):
    server.script = [(503, {'error': 'down'}, 0)]
    client = _client(server)
    with pytest.raises(LLMRequestError, match='HTTP 503'):
        client.chat([dict(role='user', content='x')])
    assert client.num_requests == 3  # 1 + max_retries
    server.script = [(401, {'error': 'bad key'}, 0)]
    client = _client(server)
    with pytest.raises(LLMRequestError, match='HTTP 401.*bad key'):
        client.chat([dict(role='user', content='x')])
    assert client.num_requests == 1  # not retried


def test_bad_bodies_and_timeouts(server):
    server.script = [(200, b'not json', 0)]
    with pytest.raises(LLMRequestError, match='invalid JSON'):
        _client(server, max_retries=1).chat([])
    server.script = [(200, {'choices': []}, 0)]
    with pytest.raises(LLMRequestError, match='no choices'):
        _client(server).chat([])
    server.script = [(200, _completion('late'), 1.0)]
    client = _client(server, timeout=0.2, max_retries=1)
    with pytest.raises(LLMRequestError, match='talking to'):
        client.chat([])
    assert client.num_requests == 2


def test_from_env(monkeypatch):
    monkeypatch.delenv('MMIMIGUE_LLM_URL', raising=False)
    with pytest.raises(ValueError, match='MMIMIGUE_LLM_URL'):
        ChatClient.from_env()
    monkeypatch.setenv('MMIMIGUE_LLM_URL', 'http://127.0.0.1:9/v1/chat/completions/')
    monkeypatch.setenv('MMIMIGUE_LLM_API_KEY', 'k')
    monkeypatch.setenv('MMIMIGUE_LLM_MODEL', 'm')
    c = ChatClient.from_env(timeout=1)
    assert (c.url, c.api_key, c.model) == ('http://127.0.0.1:9/v1/chat/completions', 'k', 'm')


def test_reasoning_counts_malformed_and_failed_answers():
    answers = {'a': 'text-only: win: 70, lose: 30. text+micro-gestures: win: 80, lose: 20',
               'b': 'text-only: win: 70, lose: 30. text+micro-gestures: win: 10, lose: 90',
               'c': 'I would rather not say.',
               'd': None}

    def chat(messages):
        vid = messages[-1]['content'].split('"micro_gesture": "')[1][0]
        if answers[vid] is None:
            raise LLMRequestError('down')
        return answers[vid]

    videos = [dict(video_id=v, emotion=e, timeline=[dict(start='00:00.0', end='00:01.0',
                                                         micro_gesture=v)], segments=None)
              for v, e in (('a', 1), ('b', 0), ('c', 1), ('d', 0))]
    out = reason_about_videos(chat, videos, repeats=2)
    s = out['summary']
    assert s['num_videos'] == 4 and s['request_errors'] == 2 and s['malformed'] == 2
    assert s['text_mg']['accuracy'] == pytest.approx(0.5)  # a, b right; c malformed; d failed
    assert s['text_mg']['accuracy_answered'] == pytest.approx(1.0)
    assert s['text_only']['accuracy'] == pytest.approx(0.25)  # says win for a and b
    assert s['text_only']['unreadable'] == 2  # c twice (d never answered)
    assert len(out['records']) == 8


def test_masking_step_uses_llm_table():
    calls = []

    def chat(messages):
        calls.append(messages[-1]['content'])
        if len(calls) == 1:
            return '| timestamp | text |\n|---|---|\n| 00:01.0 - 00:02.0 | [MASK]! |'
        assert '| 00:01.0 - 00:02.0 | [MASK]! |' in messages[-1]['content']
        assert 'Congratulations' not in messages[-1]['content']
        return 'text-only: win: 50, lose: 50. text+micro-gestures: win: 60, lose: 40'

    video = dict(video_id='0001', emotion=1, timeline=[],
                 segments=[dict(start=1.0, end=2.0, speaker='', text='Congratulations!')])
    out = reason_about_videos(chat, [video], mask_with_llm=True)
    assert out['summary']['text_mg']['accuracy'] == 1.0
    assert out['summary']['text_only']['ties'] == 1
    assert len(calls) == 2


def test_cli_end_to_end(server, toy_clip_outputs, tmp_path, monkeypatch):
    def rule_based_llm(messages):  # "win" when the win classes (mg0-7) dominate the timeline
        content = messages[-1]['content']
        timeline = json.loads(content.split('Micro-gestures (JSON):\n', 1)[1])
        ids = [int(e['micro_gesture'][2:]) for e in timeline]
        win = sum(i < 8 for i in ids)
        lose = sum(8 <= i < 16 for i in ids)
        if 'transcript-marker' in content:
            return 'Sorry, I can not help.'
        w = 100 * (win + 1) // (win + lose + 2)
        return f'text-only: win: 50, lose: 50\ntext+micro-gestures: win: {w}, lose: {100 - w}'

    server.answer = rule_based_llm
    monkeypatch.setenv('MMIMIGUE_LLM_URL', server.url)
    monkeypatch.setenv('MMIMIGUE_LLM_API_KEY', 'sk-test')
    tdir = tmp_path / 'transcripts'
    tdir.mkdir()
    (tdir / '0009.json').write_text(json.dumps({'masked': True, 'segments': [
        {'start': 0, 'end': 2, 'text': 'transcript-marker [MASK]'}]}))
    out_json = tmp_path / 'res.json'
    proc = run_tool('tools', 'emotion', 'llm_reasoning.py', args=[
        toy_clip_outputs, '--transcripts', tdir, '--labels', 'gt_label', '--out', out_json,
        '--max-retries', '0'])
    s = json.load(open(out_json))['summary']
    assert s['num_videos'] == 24 and s['malformed'] == 1  # video 0009 got a refusal
    assert s['text_only']['ties'] == 23
    assert s['text_mg']['accuracy'] >= 0.8  # the timeline carries the outcome
    printed = proc.stdout
    assert 'text+micro-gestures' in printed and '23/24 video(s) have no transcript' in printed
    sent = [r['body']['messages'][-1]['content'] for r in server.requests]
    assert sum('transcript-marker' in c for c in sent) == 1
    # dry run: prompts only, nothing sent
    n = len(server.requests)
    run_tool('tools', 'emotion', 'llm_reasoning.py', args=[
        toy_clip_outputs, '--dry-run', '--max-videos', '2', '--out', tmp_path / 'dry.json'])
    dry = json.load(open(tmp_path / 'dry.json'))
    assert len(dry['prompts']) == 2 and len(server.requests) == n
