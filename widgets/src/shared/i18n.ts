// The widgets' i18n plumbing: a language picked from wishes (a tag's `lang`, a setting) and the browser's
// languages, and a translator over one '|'-separated string of texts per language, in the order of its keys.

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** The first of `wanted`, then of the browser's languages, that `has` knows (by primary subtag); else English. */
export function pickLanguage(wanted: (string | null | undefined)[], has: (lang: string) => boolean): string {
  for (const w of [...wanted, ...(navigator.languages || [navigator.language])]) {
    const l = (w || '').toLowerCase().split('-')[0];
    if (l && has(l)) return l;
  }
  return 'en';
}

/** `{name}` placeholders filled in from `vars`. */
export function translator<K extends string>(keys: readonly K[], texts: string): Translate<K> {
  const words = texts.split('|');
  return (key, vars) => {
    let s = words[keys.indexOf(key)] ?? key;
    if (vars) for (const k in vars) s = s.replace('{' + k + '}', String(vars[k]));
    return s;
  };
}

/** Chat statuses 0..4 (New, Open, Waiting, OnPause, Closed) per language, '|'-separated. */
export const CHAT_STATUSES: Record<string, string> = {
  en: 'New|Open|Waiting|On pause|Closed',
  uk: 'Новий|Відкритий|Очікує|На паузі|Закритий',
  nl: 'Nieuw|Open|Wachtend|Gepauzeerd|Gesloten',
  tr: 'Yeni|Açık|Bekliyor|Duraklatıldı|Kapalı',
};

/** Chat sources by code (docs/api.md, Enums). */
export const SOURCES = ['Widget', 'Viber bot', 'Telegram', 'WhatsApp', 'Viber', 'Instagram', 'Facebook', 'Rozetka', 'Prom.ua', 'API'];
