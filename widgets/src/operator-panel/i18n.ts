// The panel's texts in English, Ukrainian, Dutch and Turkish. The language comes from the script tag's `lang`
// attribute, else from the browser's languages; anything else is English. The plumbing is shared/i18n.ts.

import { CHAT_STATUSES, pickLanguage as pick, SOURCES, Translate, translator } from '../shared/i18n';

const KEYS = [
  'chats', 'loading', 'search', 'allStatuses', 'filter', 'empty', 'back', 'message', 'send', 'attach', 'typing',
  'status', 'take', 'transfer', 'openPanel', 'closePanel', 'unread', 'reconnecting', 'offline', 'invalid', 'expired',
  'sound', 'failed', 'closedChat', 'unassigned', 'operator', 'select', 'drop', 'remove', 'sent', 'read', 'you',
  'client', 'file', 'newMessages', 'tooLarge', 'chatList', 'messages', 'companyToken', 'origin',
  'offlineChat', 'rated', 'page', 'language', 'note', 'noteMode', 'notePh', 'canned',
] as const;
export type Key = (typeof KEYS)[number];

// One string per language, in KEYS order, separated by '|'. {n} and {name} are filled in.
const TEXTS: Record<string, string> = {
  en: 'Chats|Loading…|Search chats|All statuses|Filter by status|No chats yet|Back to chats|Message|Send|Attach files|typing…|Chat status|Take chat|Transfer to…|Open chats|Close panel|{n} unread|Reconnecting…|Cannot reach ChatHub. Check the network and that this site is in the organization\'s allowed origins.|Invalid token: this panel cannot sign in.|Session ended: token expired. Waiting for a new token…|Sound notifications|Not sent. Retry|This chat is closed|Unassigned|Operator: {name}|Select a chat|Drop files to attach|Remove|Sent|Read|You|Client|File|New messages|{name} is larger than 10 MB|Chat list|Messages|This is a company token: the panel needs an operator token, made on your server with POST /api/operator/get-token.|This site ({origin}) is not in the organization\'s allowed origins.|Offline message|Rated {n}/5|Page|Language|Private note|Write a private note|Note for staff only|Canned responses',
  uk: 'Чати|Завантаження…|Пошук чатів|Усі статуси|Фільтр за статусом|Чатів ще немає|Назад до чатів|Повідомлення|Надіслати|Прикріпити файли|друкує…|Статус чату|Взяти чат|Передати…|Відкрити чати|Закрити панель|{n} непрочитаних|Перепідключення…|Немає зв\'язку з ChatHub. Перевірте мережу та чи є цей сайт серед дозволених джерел організації.|Недійсний токен: панель не може увійти.|Сеанс завершено: термін дії токена минув (token expired). Очікуємо новий токен…|Звукові сповіщення|Не надіслано. Повторити|Цей чат закрито|Не призначено|Оператор: {name}|Виберіть чат|Перетягніть файли сюди|Видалити|Надіслано|Прочитано|Ви|Клієнт|Файл|Нові повідомлення|{name} більший за 10 МБ|Список чатів|Повідомлення|Це токен компанії: панелі потрібен токен оператора, створений на вашому сервері через POST /api/operator/get-token.|Цього сайту ({origin}) немає серед дозволених джерел організації.|Повідомлення поза робочим часом|Оцінка {n}/5|Сторінка|Мова|Приватна нотатка|Написати приватну нотатку|Нотатка лише для команди|Шаблони відповідей',
  nl: 'Chats|Laden…|Chats zoeken|Alle statussen|Filteren op status|Nog geen chats|Terug naar chats|Bericht|Verzenden|Bestanden bijvoegen|typt…|Chatstatus|Chat overnemen|Overdragen aan…|Chats openen|Paneel sluiten|{n} ongelezen|Opnieuw verbinden…|ChatHub is niet bereikbaar. Controleer het netwerk en of deze site bij de toegestane origins van de organisatie staat.|Ongeldig token: dit paneel kan niet inloggen.|Sessie beëindigd: token verlopen (token expired). Wachten op een nieuw token…|Geluidsmeldingen|Niet verzonden. Opnieuw|Deze chat is gesloten|Niet toegewezen|Operator: {name}|Kies een chat|Zet bestanden hier neer|Verwijderen|Verzonden|Gelezen|U|Klant|Bestand|Nieuwe berichten|{name} is groter dan 10 MB|Chatlijst|Berichten|Dit is een bedrijfstoken: het paneel heeft een operatortoken nodig, aangemaakt op uw server met POST /api/operator/get-token.|Deze site ({origin}) staat niet bij de toegestane origins van de organisatie.|Offline bericht|Beoordeeld {n}/5|Pagina|Taal|Privénotitie|Een privénotitie schrijven|Notitie alleen voor het team|Standaardantwoorden',
  tr: 'Sohbetler|Yükleniyor…|Sohbet ara|Tüm durumlar|Duruma göre filtrele|Henüz sohbet yok|Sohbetlere dön|Mesaj|Gönder|Dosya ekle|yazıyor…|Sohbet durumu|Sohbeti al|Aktar…|Sohbetleri aç|Paneli kapat|{n} okunmamış|Yeniden bağlanıyor…|ChatHub\'a ulaşılamıyor. Ağı ve bu sitenin kuruluşun izin verilen kaynakları arasında olduğunu kontrol edin.|Geçersiz token: bu panel oturum açamıyor.|Oturum sona erdi: token süresi doldu (token expired). Yeni token bekleniyor…|Sesli bildirimler|Gönderilmedi. Tekrar dene|Bu sohbet kapalı|Atanmamış|Operatör: {name}|Bir sohbet seçin|Eklemek için dosyaları bırakın|Kaldır|Gönderildi|Okundu|Siz|Müşteri|Dosya|Yeni mesajlar|{name} 10 MB\'tan büyük|Sohbet listesi|Mesajlar|Bu bir şirket token\'ı: panel, sunucunuzda POST /api/operator/get-token ile oluşturulan bir operatör token\'ı gerektirir.|Bu site ({origin}) kuruluşun izin verilen kaynakları arasında değil.|Çevrimdışı mesaj|Puan {n}/5|Sayfa|Dil|Özel not|Özel not yaz|Yalnızca ekip için not|Hazır yanıtlar',
};

const STATUSES = CHAT_STATUSES;

export interface I18n {
  lang: string;
  t: Translate<Key>;
  status(s: number): string;
  source(s: number): string;
}

export function pickLanguage(attr: string | null): string {
  return pick([attr], (l) => !!TEXTS[l]);
}

export function i18n(lang: string): I18n {
  const statuses = STATUSES[lang].split('|');
  return {
    lang,
    t: translator(KEYS, TEXTS[lang]),
    status: (s) => statuses[s] ?? String(s),
    source: (s) => SOURCES[s] ?? String(s),
  };
}
