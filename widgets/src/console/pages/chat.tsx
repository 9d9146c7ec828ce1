// One chat: who, where, its status and operator; its full transcript (every message, paged forward with after=);
// private notes (isNote: staff only) shown apart from the conversation; assign or transfer it, add a note, delete it.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { blob, call, Chat, get, Media, Message, operators, query, Session } from '../api';
import { sourceName, statusOf, t } from '../i18n';
import { navigate } from '../router';
import { fmtTime, Link, Marked, PageHead, Select, Show, TextArea, Said, useAction, useLoad } from '../ui';

const PAGE = 1000;

async function transcript(id: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ;) {
    const page = await get<Message[]>(`/api/chat/${id}/messages` + query({ after, limit: PAGE }));
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1].seq;
  }
}

const AUTHOR = () => [t('operator'), t('client'), t('bot'), t('system')];

export default function ChatPage({ params, query: q, session }: { params: { id: string }; query: URLSearchParams; session: Session }) {
  const chat = useLoad(() => get<Chat>('/api/chat/chats/' + encodeURIComponent(params.id)), [params.id]);
  const messages = useLoad(() => transcript(encodeURIComponent(params.id)), [params.id]);
  // opened from a search's result (?seq=&q=): that message is scrolled to, marked, its searched words in <mark>
  const found = Number(q.get('seq')) || 0;
  const search = q.get('q') || '';
  // focused the moment it is in the document (a ref, not an effect: whichever of chat and transcript loads last, and
  // before PageHead's effect, which leaves a [data-focus-target] alone); once per found message, or again if lost
  const focusedFor = useRef(0);
  const focusFound = useCallback((li: HTMLElement | null) => {
    if (!li || (focusedFor.current === found && document.activeElement !== document.body)) return;
    focusedFor.current = found;
    li.scrollIntoView({ block: 'center' });
    li.focus({ preventScroll: true });
  }, [found]);
  const readOnly = session.role === 'viewer';
  return (
    <Show it={chat}>
      {(c) => (
        <>
          <PageHead title={c.client?.name || c.client?.phone || t('chatN', { n: c.id })}>
            <Link href="/chats" class="button">{t('backToChats')}</Link>
          </PageHead>
          <dl class="facts">
            <dt>{t('status')}</dt><dd><span class={'chip c' + c.chatStatus}>{statusOf(c.chatStatus)}</span></dd>
            <dt>{t('source')}</dt><dd>{c.channel ? `${sourceName(c.source)} · ${c.channel.name}` : sourceName(c.source)}</dd>
            <dt>{t('operator')}</dt><dd>{c.operator?.name || t('unassigned')}</dd>
            {c.client?.phone && <><dt>{t('phone')}</dt><dd>{c.client.phone}</dd></>}
            {c.client?.email && <><dt>{t('email')}</dt><dd>{c.client.email}</dd></>}
            {c.pageUrl && <><dt>{t('page')}</dt><dd class="clip">{c.pageUrl}</dd></>}
            {c.language && <><dt>{t('language')}</dt><dd>{c.language}</dd></>}
            {c.rating && <><dt>{t('rating')}</dt><dd>{c.rating.score}/5{c.rating.comment ? ' · ' + c.rating.comment : ''}</dd></>}
            <dt>{t('created')}</dt><dd>{fmtTime(c.createdAt)}</dd>
          </dl>
          {!readOnly && <Actions chat={c} done={() => { chat.reload(); messages.reload(); }} />}
          <section aria-labelledby="transcript-h">
            <h2 id="transcript-h">{t('transcript')}</h2>
            <Show it={messages}>
              {(list) => list.length === 0 ? <p class="state empty">{t('noMessages')}</p> : (
                <ol class="transcript" aria-labelledby="transcript-h">
                  {list.map((m) => (
                    <li key={m.id} class={'a' + m.author + (m.isNote ? ' note' : '') + (m.seq === found ? ' found' : '')} data-message-id={m.id} data-seq={m.seq}
                      data-note={m.isNote ? '' : undefined} tabIndex={m.seq === found ? -1 : undefined}
                      data-focus-target={m.seq === found ? '' : undefined} ref={m.seq === found ? focusFound : undefined}>
                      <p class="by">{m.seq === found && <><span class="chip">{t('foundMessage')}</span>{' '}</>}
                        {m.isNote && <span class="chip">{t('privateNote')}</span>}{m.isNote && ' '}
                        <strong>{m.author === 0 ? m.operator?.name || AUTHOR()[0] : m.author === 1 ? c.client?.name || AUTHOR()[1] : AUTHOR()[m.author]}</strong>
                        {' '}<time dateTime={m.createdAt}>{fmtTime(m.createdAt)}</time></p>
                      {m.media && <Attachment media={m.media} />}
                      {m.message && <p class="text">{m.seq === found && search ? <Marked text={m.message} search={search} /> : m.message}</p>}
                    </li>
                  ))}
                </ol>
              )}
            </Show>
          </section>
        </>
      )}
    </Show>
  );
}

function Attachment({ media }: { media: Media }) {
  const [url, setUrl] = useState('');
  const image = media.type === 1 || /^image\//.test(media.format || '');
  useEffect(() => {
    let u = '';
    blob(media.uri).then((x) => setUrl((u = x)), () => {});
    return () => u && URL.revokeObjectURL(u);
  }, [media.uri]);
  const name = media.name || t('file');
  if (image) return url ? <img class="media" src={url} alt={name} width={media.width} height={media.height} /> : <p class="mut">{name}</p>;
  return <p>{url ? <a href={url} download={name}>{name}</a> : name}</p>;
}

function Actions({ chat, done }: { chat: Chat; done: () => void }) {
  const ops = useLoad(() => operators(chat.organizationId), [chat.organizationId]);
  const [to, setTo] = useState(String(chat.operator?.id || ''));
  const [note, setNote] = useState('');
  const [say, run, failed] = useAction(done);
  return (
    <section class="box" aria-labelledby="manage-h">
      <h2 id="manage-h">{t('manage')}</h2>
      <div class="inline">
        <Select label={t('assignTo')} value={to} onChange={setTo}
          options={[['', t('choose')], ['0', t('queue')], ...(ops.data || []).filter((o) => o.status === 0).map((o) => [String(o.id), o.name] as [string, string])]} />
        <button type="button" disabled={to === ''} onClick={() => run(() => call('POST', `/api/chat/${chat.id}/assign`, { operatorId: Number(to) }),
          to === '0' ? t('unassignedOk') : t('assigned'))}>{chat.operator ? t('transfer') : t('assign')}</button>
      </div>
      <div class="inline">
        <TextArea label={t('note')} value={note} onInput={setNote} rows={2} hint={t('noteHint')} />
        <button type="button" disabled={!note.trim()} onClick={() => run(() => call('POST', `/api/chat/${chat.id}/note`, { text: note.trim() })
          .then(() => setNote('')), t('noteAdded'))}>{t('addNote')}</button>
      </div>
      <button type="button" class="bad" onClick={() => confirm(t('confirmDeleteChat')) && run(async () => {
        await call('DELETE', '/api/chat/chats/' + chat.id);
        navigate('/chats');
      }, t('deletedOk'))}>{t('deleteChat')}</button>
      <p><Said text={say} failed={failed} /></p>
    </section>
  );
}
