// The panel's view of the hub's objects; the calls themselves are shared/api.ts (token in a header, never in storage).

import type { Message } from '../shared/api';

export { Api, ApiError, mediaOf } from '../shared/api';
export type { Media, Message } from '../shared/api';

export interface Chat {
  id: number; theme: string | null; organizationId: number; source: number;
  client: { id: number; name: string | null; phone: string | null; email: string | null };
  operator: { id: number; name: string; photo: string | null } | null;
  chatStatus: number; countUnread: number; createdAt: string; updatedAt: string;
  lastMessage: Message | null; lastSeq: number; operatorReadSeq: number; clientReadSeq: number;
  /** website chats: the page and browser language the visitor came with, an offline message, the rating */
  pageUrl?: string | null; language?: string | null; offline?: boolean;
  rating?: { score: number; comment: string | null } | null;
  /** messenger chats: the channel they came through */
  channel?: { id: number; type: string; name: string | null } | null;
  /** with a search only: the message the chat was found by */
  match?: Match | null;
}
export type { Match } from '../shared/search';
import type { Match } from '../shared/search';
export interface Operator { id: number; name: string; status: number; organization: { id: number; name: string } }
