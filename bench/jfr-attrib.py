#!/usr/bin/env python3
"""Where a JFR recording's CPU samples went: inclusive shares (a prefix anywhere in the stack), top frames, threads.

    jfr print --stack-depth 300 --json --events jdk.ExecutionSample,jdk.NativeMethodSample rec.jfr > rec.json
    bench/jfr-attrib.py rec.json [--from 2026-12-06T22:38:45 --to 2026-12-06T22:39:05] [prefix ...]

Record with -XX:StartFlightRecording=filename=rec.jfr,settings=profile,method-profiling=max (1 ms Java sampling).
Native samples of threads blocked in epoll/park/sleep are left out (they wait, they do not use CPU). Without
prefixes it reports a default set (the hub's outbox and transport, Jetty, the message writer...). `jfr print`
cuts stacks at 5 frames unless told otherwise: keep --stack-depth, or the inclusive shares come out far too low.
"""
import collections, json, sys

args = sys.argv[1:]
path = args.pop(0)
lo = hi = None
prefixes = []
while args:
    a = args.pop(0)
    if a == '--from': lo = args.pop(0)
    elif a == '--to': hi = args.pop(0)
    else: prefixes.append(a)
prefixes = prefixes or ['io.chathub.hub.Outbox', 'io.chathub.hub.JettyTransport', 'org.eclipse.jetty.websocket.common.WebSocketSession.sendText',
    'org.eclipse.jetty.websocket.core.internal.FrameFlusher', 'org.eclipse.jetty.io.WriteFlusher.write', 'sun.nio.ch.IOUtil.write',
    'org.eclipse.jetty.util.thread.AutoLock', 'java.lang.VirtualThread.start', 'java.lang.VirtualThread.park', 'java.util.concurrent.CompletableFuture.get',
    'io.chathub.hub.Hub.send', 'io.chathub.hub.Inbound', 'io.chathub.hub.SerialExecutor', 'io.chathub.chat.MessageWriter',
    'io.chathub.chat.ChatService', 'org.sqlite', 'org.jdbi', 'com.fasterxml.jackson']
WAITING = {'wait', 'park', 'wait0', 'sleep0', 'accept0', 'poll0'}
incl, top, threads, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
for e in json.load(open(path))['recording']['events']:
    v = e['values']
    t = v['startTime'][:19]
    if (lo and t < lo[:19]) or (hi and t > hi[:19]): continue
    frames = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name']
              for f in (v['stackTrace']['frames'] if v.get('stackTrace') else [])]
    if frames and e['type'] == 'jdk.NativeMethodSample' and frames[0].rsplit('.', 1)[-1] in WAITING: continue
    n += 1
    if frames: top[frames[0]] += 1
    th = v.get('sampledThread') or {}
    threads[''.join(c for c in (th.get('javaName') or th.get('osName') or '?') if not c.isdigit())[:40]] += 1
    for p in prefixes:
        if any(f.startswith(p) for f in frames): incl[p] += 1
n = max(n, 1)
print(f'samples {n}')
print('-- inclusive (the prefix anywhere in the stack)')
for p in prefixes: print(f'{100 * incl[p] / n:5.1f}%  {p}')
print('-- top frames')
for m, c in top.most_common(20): print(f'{100 * c / n:5.1f}%  {m}')
print('-- threads')
for m, c in threads.most_common(8): print(f'{100 * c / n:5.1f}%  {m}')
