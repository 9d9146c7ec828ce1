// The customer chat widget's texts in English, Ukrainian, Dutch and Turkish, one '|'-separated string per language in
// KEYS order ({n} and {name} are filled in). The language: the tag's `lang`, else the organization's default
// language, else the browser's languages, else English.

import { pickLanguage, Translate, translator } from '../shared/i18n';

const KEYS = [
  'open', 'close', 'unread', 'dismiss', 'message', 'send', 'attach', 'typing', 'operator', 'end', 'ended',
  'rate', 'score', 'comment', 'thanks', 'transcript', 'name', 'email', 'phone', 'required', 'badEmail', 'badPhone',
  'contactNeeded', 'start', 'offlineTitle', 'offlineIntro', 'offlineSent', 'sending', 'failed', 'tooFast',
  'tooLarge', 'reconnecting', 'sent', 'read', 'file', 'messages', 'error', 'reach',
] as const;
export type Key = (typeof KEYS)[number];

const TEXTS: Record<string, string> = {
  en: 'Open chat|Close chat|{n} unread|Dismiss|Message|Send|Attach a file|{name} is typing…|Operator|End chat|This chat has ended.|How was this chat?|{n} of 5|Comment (optional)|Thank you for your feedback!|Download the transcript|Name|Email|Phone|Required|Not a valid email address|Not a valid phone number|Give an email or a phone|Start chat|Leave us a message|Nobody is available now. We will reply as soon as we can.|Thank you! We will get back to you soon.|Sending…|Not sent. Retry|Too many messages. Try again in {n} s.|Too large to send.|Reconnecting…|Sent|Read|File|Messages|Something went wrong. Try again.|Also: {name}',
  uk: 'Відкрити чат|Закрити чат|{n} непрочитаних|Сховати|Повідомлення|Надіслати|Прикріпити файл|{name} друкує…|Оператор|Завершити чат|Чат завершено.|Як пройшла розмова?|{n} з 5|Коментар (необов\'язково)|Дякуємо за відгук!|Завантажити стенограму|Ім\'я|Ел. пошта|Телефон|Обов\'язкове поле|Неправильна адреса ел. пошти|Неправильний номер телефону|Вкажіть ел. пошту або телефон|Почати чат|Залиште нам повідомлення|Зараз ніхто не на зв\'язку. Ми відповімо якнайшвидше.|Дякуємо! Ми скоро вам відповімо.|Надсилання…|Не надіслано. Повторити|Забагато повідомлень. Спробуйте за {n} с.|Завелике для надсилання.|Перепідключення…|Надіслано|Прочитано|Файл|Повідомлення|Щось пішло не так. Спробуйте ще раз.|Також: {name}',
  nl: 'Chat openen|Chat sluiten|{n} ongelezen|Verbergen|Bericht|Verzenden|Bestand bijvoegen|{name} typt…|Medewerker|Chat beëindigen|Deze chat is beëindigd.|Hoe was deze chat?|{n} van 5|Opmerking (optioneel)|Bedankt voor uw feedback!|Transcript downloaden|Naam|E-mail|Telefoon|Verplicht|Geen geldig e-mailadres|Geen geldig telefoonnummer|Geef een e-mailadres of telefoonnummer|Chat starten|Laat een bericht achter|Er is nu niemand beschikbaar. We antwoorden zo snel mogelijk.|Bedankt! We nemen snel contact met u op.|Verzenden…|Niet verzonden. Opnieuw|Te veel berichten. Probeer het over {n} s opnieuw.|Te groot om te verzenden.|Opnieuw verbinden…|Verzonden|Gelezen|Bestand|Berichten|Er ging iets mis. Probeer het opnieuw.|Ook: {name}',
  tr: 'Sohbeti aç|Sohbeti kapat|{n} okunmamış|Gizle|Mesaj|Gönder|Dosya ekle|{name} yazıyor…|Temsilci|Sohbeti bitir|Bu sohbet sona erdi.|Bu sohbet nasıldı?|5 üzerinden {n}|Yorum (isteğe bağlı)|Geri bildiriminiz için teşekkürler!|Dökümü indir|Ad|E-posta|Telefon|Zorunlu|Geçerli bir e-posta adresi değil|Geçerli bir telefon numarası değil|Bir e-posta veya telefon girin|Sohbeti başlat|Bize mesaj bırakın|Şu anda kimse müsait değil. En kısa sürede yanıt vereceğiz.|Teşekkürler! Yakında size döneceğiz.|Gönderiliyor…|Gönderilmedi. Tekrar dene|Çok fazla mesaj. {n} sn sonra tekrar deneyin.|Göndermek için çok büyük.|Yeniden bağlanıyor…|Gönderildi|Okundu|Dosya|Mesajlar|Bir şeyler ters gitti. Tekrar deneyin.|Ayrıca: {name}',
};

export type T = Translate<Key>;

export function language(attr: string | null, orgDefault: string | null | undefined): string {
  return pickLanguage([attr, orgDefault], (l) => !!TEXTS[l]);
}

export const texts = (lang: string): T => translator(KEYS, TEXTS[lang]);
