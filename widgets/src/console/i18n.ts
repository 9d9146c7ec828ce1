// The console's texts in English, Ukrainian, Dutch and Turkish (the widgets' four), through the shared i18n plumbing
// (shared/i18n.ts: the language from the wishes and the browser, a translator over '|'-joined texts). The person
// picks another language in the header; the choice (a language code, nothing else) is remembered in localStorage.

import { CHAT_STATUSES, pickLanguage, SOURCES, translator, Translate, Vars } from '../shared/i18n';

const EN = {
  actions: 'Actions', activate: 'Activate', activated: 'Activated', active: 'Active', add: 'Add', addHours: 'Add hours',
  addHoursOn: 'Add hours on {day}', addNote: 'Add note', all: 'All', allowedOrigins: 'Allowed origins', alwaysOpen: 'Always open (no business hours)',
  apply: 'Apply', ask: 'Ask', askFor: 'Ask for {field}', assign: 'Assign', assignTo: 'Assign to', assigned: 'Assigned', audit: 'Audit log',
  backToChats: 'All chats', bot: 'Bot', businessHours: 'Business hours', byOperator: 'By operator', cancel: 'Cancel',
  canned: 'Canned responses', chatN: 'Chat {n}', chats: 'Chats', chatsFound: '{n} chats', choose: 'Choose…', client: 'Client',
  clientSearchHint: 'Name, phone, email or external id', clients: 'Clients', clientsFound: '{n} clients', closed: 'Closed',
  closesAt: '{day}: closes at', colour: 'Colour', colourHint: 'The widget\'s accent colour, like #1860d0', confirmDeactivate: 'Deactivate {name}? Their tokens stop working at once.',
  confirmDelete: 'Delete it?', confirmDeleteChat: 'Delete this chat with all its messages? This cannot be undone.',
  confirmDeleteOp: 'Delete {name}? Their tokens stop working at once.', confirmDeleteOrg: 'Delete {name} with its operators and chats? This cannot be undone.',
  confirmRevoke: 'Revoke every token of {name}? Open panels close.', confirmRotateGuid: 'Give the organization a new widget guid? The widget on your website stops until you put the new snippet there.',
  consoleTitle: 'Company console', consoleUsers: 'Console users', copied: 'Copied', copyPanelSnippet: 'Copy panel snippet',
  copySnippet: 'Copy snippet', create: 'Create', created: 'Created', dateFrom: 'From', dateTo: 'To', deactivate: 'Deactivate',
  deactivated: 'Deactivated', defaultLanguage: 'Default language', delete: 'Delete', deleteChat: 'Delete chat',
  deleteOrgHint: 'Removes the organization, its operators, their tokens and its chats.', deleteOrganization: 'Delete organization',
  deleted: 'Deleted', deletedOk: 'Deleted', edit: 'Edit', email: 'Email', expired: 'Your session has expired. Sign in again.',
  externalId: 'External id', externalIdHint: 'The operator\'s id in your own system (synchronize matches by it); it cannot change once set', field: 'Field', file: 'File',
  filterChats: 'Filter chats', fixErrors: 'Not saved: correct the fields marked above.', general: 'General', greeting: 'Greeting',
  guidRotated: 'New widget guid made: update the snippet on your website.', identitySecret: 'Identity secret', inactive: 'Inactive',
  language: 'Language', lastMessage: 'Last message', left: 'Left', loading: 'Loading…', login: 'Login', mainNav: 'Main',
  manage: 'Manage', maxChats: 'Max chats', maxChatsRange: 'Max chats must be a whole number from 0 to 1000', menu: 'Menu', name: 'Name',
  network: 'Cannot reach ChatHub. Check the network and try again.', newCanned: 'New canned response', newOperator: 'New operator',
  newOrganization: 'New organization', newUser: 'New console user', next: 'Next', noCanned: 'No canned responses yet.', noChats: 'No chats match.',
  noMessages: 'No messages.', noOperator: 'No operator was given.', noOperators: 'No operators yet.', noOrganizations: 'No organizations yet.',
  noSecret: 'No identity secret: visitors cannot be verified.', notAvailable: 'This server does not offer this yet.', notFound: 'Not found',
  note: 'Note', noteAdded: 'Note added', noteHint: 'Internal: operators see it, the client does not.', nothing: 'Nothing to show.',
  offline: 'Offline', offlineContact: 'Offline contact', offlineContactHint: 'Shown in the widget while nobody can answer',
  online: 'Online', openPanel: 'Open panel', opensAt: '{day}: opens at', operator: 'Operator', operatorPanel: 'Operator panel',
  operators: 'Operators', organization: 'Organization', organizations: 'Organizations',
  originsHint: 'One per line: scheme://host[:port], e.g. https://shop.example.com; * allows every site', overTime: 'Over time',
  page: 'Page', pageN: 'Page {n}', pageOf: 'Page {n} of {m}', pagination: 'Pages',
  panelNeedsConsole: 'Open the panel from the console\'s Operators page.', panelSnippet: 'Operator panel snippet',
  panelSnippetHint: 'For your CRM: OPERATOR_JWT is an operator token made on your server (POST /api/operator/get-token). The page\'s origin must be allowed above.',
  password: 'Password', people: 'People', perPage: 'Per page', period: 'Period', phone: 'Phone', photo: 'Photo',
  photoHint: 'The address of an image (https://…)', pickColour: 'Pick a colour', popupBlocked: 'The browser blocked the new page: allow pop-ups for this site.',
  position: 'Position', positionDefault: 'Default (right)', preChat: 'Pre-chat form', preChatFields: 'What the widget asks before a chat',
  preview: 'Live preview', previewHint: 'The customer widget as your website shows it (after saving).', previewSite: 'Your website',
  previewSiteText: 'This page shows the organization\'s chat widget as visitors see it.', previewTitle: 'Customer widget preview',
  previous: 'Previous', profile: 'Profile', queue: 'Back to the queue', rating: 'Rating', removeHours: 'Remove hours on {day}',
  removeSecret: 'Remove secret', reports: 'Reports', requireField: 'Require {field}', required: 'Required', reset: 'Reset', retry: 'Try again',
  revokeTokens: 'Revoke tokens', revoked: 'Tokens revoked', right: 'Right', role: 'Role', roleAdmin: 'Admin: changes everything but people',
  roleOwner: 'Owner: everything', roleViewer: 'Viewer: reads only', rotateGuid: 'Rotate widget guid',
  rotateGuidHint: 'A new guid stops the old snippet at once (and its visitors\' sessions).', rotateSecret: 'Generate new secret',
  save: 'Save', saved: 'Saved', search: 'Search', secretIs: 'Set: {hint}', secretMade: 'New secret made',
  secretOnce: 'Copy it now: it is shown this once.', secretRemoved: 'Secret removed', secretSet: 'Secret set', setSecret: 'Set secret',
  settings: 'Settings', shortcut: 'Shortcut', shortcutHint: 'What the operator types to find it, e.g. /hello', signIn: 'Sign in',
  signOut: 'Sign out', signedOutWhy: 'You were signed out. Sign in again.', skip: 'Skip to content', source: 'Source', status: 'Status',
  summary: 'Summary', system: 'System', telegramUser: 'Telegram user id', text: 'Text', timeZone: 'Time zone',
  tooMany: 'Too many attempts. Try again in {s} s.', transcript: 'Transcript', transfer: 'Transfer', unassigned: 'Unassigned',
  unassignedOk: 'Back in the queue', unknown: 'Unknown', updated: 'Updated', visitorsLanguage: 'The visitor\'s language',
  websiteSnippet: 'Website snippet', websiteSnippetHint: 'Put it on every page of your website, before </body>. The site\'s origin must be in the allowed origins.',
  widgetGuid: 'Widget guid', ownSecret: 'Your own secret', ownSecretHint: '32 to 128 characters',
  mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday',
};

export type Key = keyof typeof EN;
type Texts = Partial<Record<Key, string>>;

const UK: Texts = {
  actions: 'Дії', activate: 'Активувати', activated: 'Активовано', active: 'Активний', add: 'Додати', addHours: 'Додати години',
  addHoursOn: 'Додати години: {day}', addNote: 'Додати нотатку', all: 'Усі', allowedOrigins: 'Дозволені джерела', alwaysOpen: 'Завжди відкрито (без робочих годин)',
  apply: 'Застосувати', ask: 'Питати', askFor: 'Питати: {field}', assign: 'Призначити', assignTo: 'Призначити', assigned: 'Призначено', audit: 'Журнал дій',
  backToChats: 'Усі чати', bot: 'Бот', businessHours: 'Робочі години', byOperator: 'За операторами', cancel: 'Скасувати',
  canned: 'Шаблони відповідей', chatN: 'Чат {n}', chats: 'Чати', chatsFound: 'Чатів: {n}', choose: 'Виберіть…', client: 'Клієнт',
  clientSearchHint: 'Ім\'я, телефон, email або зовнішній id', clients: 'Клієнти', clientsFound: 'Клієнтів: {n}', closed: 'Зачинено',
  closesAt: '{day}: до', colour: 'Колір', colourHint: 'Колір віджета, наприклад #1860d0', confirmDeactivate: 'Деактивувати {name}? Токени одразу перестануть діяти.',
  confirmDelete: 'Видалити?', confirmDeleteChat: 'Видалити цей чат з усіма повідомленнями? Це не можна скасувати.',
  confirmDeleteOp: 'Видалити {name}? Токени одразу перестануть діяти.', confirmDeleteOrg: 'Видалити {name} з операторами й чатами? Це не можна скасувати.',
  confirmRevoke: 'Відкликати всі токени {name}? Відкриті панелі закриються.', confirmRotateGuid: 'Новий guid віджета? Віджет на сайті перестане працювати, доки ви не вставите новий код.',
  consoleTitle: 'Консоль компанії', consoleUsers: 'Користувачі консолі', copied: 'Скопійовано', copyPanelSnippet: 'Копіювати код панелі',
  copySnippet: 'Копіювати код', create: 'Створити', created: 'Створено', dateFrom: 'Від', dateTo: 'До', deactivate: 'Деактивувати',
  deactivated: 'Деактивовано', defaultLanguage: 'Мова за замовчуванням', delete: 'Видалити', deleteChat: 'Видалити чат',
  deleteOrgHint: 'Видаляє організацію, її операторів, їхні токени та чати.', deleteOrganization: 'Видалити організацію',
  deleted: 'Видалений', deletedOk: 'Видалено', edit: 'Змінити', email: 'Email', expired: 'Сеанс завершився. Увійдіть знову.',
  externalId: 'Зовнішній id', externalIdHint: 'Id оператора у вашій системі (синхронізація шукає за ним); після встановлення не змінюється', field: 'Поле', file: 'Файл',
  filterChats: 'Фільтр чатів', fixErrors: 'Не збережено: виправте позначені поля.', general: 'Загальне', greeting: 'Привітання',
  guidRotated: 'Створено новий guid: оновіть код на сайті.', identitySecret: 'Секрет ідентифікації', inactive: 'Неактивний',
  language: 'Мова', lastMessage: 'Останнє повідомлення', left: 'Ліворуч', loading: 'Завантаження…', login: 'Логін', mainNav: 'Головне меню',
  manage: 'Керування', maxChats: 'Макс. чатів', maxChatsRange: 'Макс. чатів: ціле число від 0 до 1000', menu: 'Меню', name: 'Назва',
  network: 'Немає зв\'язку з ChatHub. Перевірте мережу й спробуйте ще раз.', newCanned: 'Новий шаблон', newOperator: 'Новий оператор',
  newOrganization: 'Нова організація', newUser: 'Новий користувач консолі', next: 'Далі', noCanned: 'Шаблонів ще немає.', noChats: 'Чатів не знайдено.',
  noMessages: 'Повідомлень немає.', noOperator: 'Оператора не вказано.', noOperators: 'Операторів ще немає.', noOrganizations: 'Організацій ще немає.',
  noSecret: 'Секрету немає: відвідувачів не можна перевірити.', notAvailable: 'Цей сервер цього ще не підтримує.', notFound: 'Не знайдено',
  note: 'Нотатка', noteAdded: 'Нотатку додано', noteHint: 'Внутрішня: бачать оператори, не клієнт.', nothing: 'Нічого показати.',
  offline: 'Не в мережі', offlineContact: 'Контакт поза робочим часом', offlineContactHint: 'Показується у віджеті, коли ніхто не може відповісти',
  online: 'У мережі', openPanel: 'Відкрити панель', opensAt: '{day}: з', operator: 'Оператор', operatorPanel: 'Панель оператора',
  operators: 'Оператори', organization: 'Організація', organizations: 'Організації',
  originsHint: 'По одному в рядку: scheme://host[:port], напр. https://shop.example.com; * дозволяє всі сайти', overTime: 'У часі',
  page: 'Сторінка', pageN: 'Сторінка {n}', pageOf: 'Сторінка {n} з {m}', pagination: 'Сторінки',
  panelNeedsConsole: 'Відкрийте панель зі сторінки «Оператори» консолі.', panelSnippet: 'Код панелі оператора',
  panelSnippetHint: 'Для вашої CRM: OPERATOR_JWT — токен оператора, створений на вашому сервері (POST /api/operator/get-token). Джерело сторінки має бути дозволене вище.',
  password: 'Пароль', people: 'Люди', perPage: 'На сторінці', period: 'Період', phone: 'Телефон', photo: 'Фото',
  photoHint: 'Адреса зображення (https://…)', pickColour: 'Вибрати колір', popupBlocked: 'Браузер заблокував нову сторінку: дозвольте спливні вікна для цього сайту.',
  position: 'Розташування', positionDefault: 'Типове (праворуч)', preChat: 'Форма перед чатом', preChatFields: 'Що віджет питає перед чатом',
  preview: 'Попередній перегляд', previewHint: 'Віджет так, як його показує ваш сайт (після збереження).', previewSite: 'Ваш сайт',
  previewSiteText: 'Ця сторінка показує чат-віджет організації так, як його бачать відвідувачі.', previewTitle: 'Перегляд віджета',
  previous: 'Назад', profile: 'Профіль', queue: 'Повернути в чергу', rating: 'Оцінка', removeHours: 'Прибрати години: {day}',
  removeSecret: 'Видалити секрет', reports: 'Звіти', requireField: 'Обов\'язково: {field}', required: 'Обов\'язково', reset: 'Скинути', retry: 'Спробувати ще',
  revokeTokens: 'Відкликати токени', revoked: 'Токени відкликано', right: 'Праворуч', role: 'Роль', roleAdmin: 'Адміністратор: усе, крім людей',
  roleOwner: 'Власник: усе', roleViewer: 'Глядач: лише читання', rotateGuid: 'Новий guid віджета',
  rotateGuidHint: 'Новий guid одразу зупиняє старий код (і сеанси його відвідувачів).', rotateSecret: 'Створити новий секрет',
  save: 'Зберегти', saved: 'Збережено', search: 'Пошук', secretIs: 'Задано: {hint}', secretMade: 'Новий секрет створено',
  secretOnce: 'Скопіюйте зараз: його показано лише раз.', secretRemoved: 'Секрет видалено', secretSet: 'Секрет задано', setSecret: 'Задати секрет',
  settings: 'Налаштування', shortcut: 'Скорочення', shortcutHint: 'Що оператор вводить, щоб знайти шаблон, напр. /hello', signIn: 'Увійти',
  signOut: 'Вийти', signedOutWhy: 'Ви вийшли. Увійдіть знову.', skip: 'До змісту', source: 'Джерело', status: 'Статус',
  summary: 'Підсумок', system: 'Система', telegramUser: 'Id користувача Telegram', text: 'Текст', timeZone: 'Часовий пояс',
  tooMany: 'Забагато спроб. Спробуйте через {s} с.', transcript: 'Листування', transfer: 'Передати', unassigned: 'Не призначено',
  unassignedOk: 'Повернуто в чергу', unknown: 'Невідомо', updated: 'Оновлено', visitorsLanguage: 'Мова відвідувача',
  websiteSnippet: 'Код для сайту', websiteSnippetHint: 'Вставте на кожну сторінку сайту перед </body>. Джерело сайту має бути серед дозволених.',
  widgetGuid: 'Guid віджета', ownSecret: 'Власний секрет', ownSecretHint: 'Від 32 до 128 символів',
  mon: 'Понеділок', tue: 'Вівторок', wed: 'Середа', thu: 'Четвер', fri: 'П\'ятниця', sat: 'Субота', sun: 'Неділя',
};

const NL: Texts = {
  actions: 'Acties', activate: 'Activeren', activated: 'Geactiveerd', active: 'Actief', add: 'Toevoegen', addHours: 'Uren toevoegen',
  addHoursOn: 'Uren toevoegen op {day}', addNote: 'Notitie toevoegen', all: 'Alle', allowedOrigins: 'Toegestane origins', alwaysOpen: 'Altijd open (geen openingstijden)',
  apply: 'Toepassen', ask: 'Vragen', askFor: 'Vragen naar {field}', assign: 'Toewijzen', assignTo: 'Toewijzen aan', assigned: 'Toegewezen', audit: 'Auditlog',
  backToChats: 'Alle chats', bot: 'Bot', businessHours: 'Openingstijden', byOperator: 'Per operator', cancel: 'Annuleren',
  canned: 'Standaardantwoorden', chatN: 'Chat {n}', chats: 'Chats', chatsFound: '{n} chats', choose: 'Kies…', client: 'Klant',
  clientSearchHint: 'Naam, telefoon, e-mail of externe id', clients: 'Klanten', clientsFound: '{n} klanten', closed: 'Gesloten',
  closesAt: '{day}: sluit om', colour: 'Kleur', colourHint: 'De accentkleur van de widget, zoals #1860d0', confirmDeactivate: '{name} deactiveren? De tokens werken meteen niet meer.',
  confirmDelete: 'Verwijderen?', confirmDeleteChat: 'Deze chat met alle berichten verwijderen? Dit kan niet ongedaan worden.',
  confirmDeleteOp: '{name} verwijderen? De tokens werken meteen niet meer.', confirmDeleteOrg: '{name} met operators en chats verwijderen? Dit kan niet ongedaan worden.',
  confirmRevoke: 'Alle tokens van {name} intrekken? Open panelen sluiten.', confirmRotateGuid: 'Een nieuwe widget-guid? De widget op uw site stopt tot u de nieuwe code plaatst.',
  consoleTitle: 'Bedrijfsconsole', consoleUsers: 'Consolegebruikers', copied: 'Gekopieerd', copyPanelSnippet: 'Paneelcode kopiëren',
  copySnippet: 'Code kopiëren', create: 'Aanmaken', created: 'Aangemaakt', dateFrom: 'Van', dateTo: 'Tot', deactivate: 'Deactiveren',
  deactivated: 'Gedeactiveerd', defaultLanguage: 'Standaardtaal', delete: 'Verwijderen', deleteChat: 'Chat verwijderen',
  deleteOrgHint: 'Verwijdert de organisatie, haar operators, hun tokens en haar chats.', deleteOrganization: 'Organisatie verwijderen',
  deleted: 'Verwijderd', deletedOk: 'Verwijderd', edit: 'Bewerken', email: 'E-mail', expired: 'Uw sessie is verlopen. Log opnieuw in.',
  externalId: 'Externe id', externalIdHint: 'De id van de operator in uw eigen systeem (synchronisatie zoekt erop); ligt vast zodra ingesteld', field: 'Veld', file: 'Bestand',
  filterChats: 'Chats filteren', fixErrors: 'Niet opgeslagen: verbeter de gemarkeerde velden.', general: 'Algemeen', greeting: 'Begroeting',
  guidRotated: 'Nieuwe widget-guid gemaakt: werk de code op uw site bij.', identitySecret: 'Identiteitsgeheim', inactive: 'Inactief',
  language: 'Taal', lastMessage: 'Laatste bericht', left: 'Links', loading: 'Laden…', login: 'Login', mainNav: 'Hoofdmenu',
  manage: 'Beheren', maxChats: 'Max. chats', maxChatsRange: 'Max. chats: een geheel getal van 0 tot 1000', menu: 'Menu', name: 'Naam',
  network: 'ChatHub is niet bereikbaar. Controleer het netwerk en probeer opnieuw.', newCanned: 'Nieuw standaardantwoord', newOperator: 'Nieuwe operator',
  newOrganization: 'Nieuwe organisatie', newUser: 'Nieuwe consolegebruiker', next: 'Volgende', noCanned: 'Nog geen standaardantwoorden.', noChats: 'Geen chats gevonden.',
  noMessages: 'Geen berichten.', noOperator: 'Geen operator opgegeven.', noOperators: 'Nog geen operators.', noOrganizations: 'Nog geen organisaties.',
  noSecret: 'Geen identiteitsgeheim: bezoekers kunnen niet worden geverifieerd.', notAvailable: 'Deze server biedt dit nog niet.', notFound: 'Niet gevonden',
  note: 'Notitie', noteAdded: 'Notitie toegevoegd', noteHint: 'Intern: operators zien het, de klant niet.', nothing: 'Niets te tonen.',
  offline: 'Offline', offlineContact: 'Offline contact', offlineContactHint: 'Getoond in de widget als niemand kan antwoorden',
  online: 'Online', openPanel: 'Paneel openen', opensAt: '{day}: opent om', operator: 'Operator', operatorPanel: 'Operatorpaneel',
  operators: 'Operators', organization: 'Organisatie', organizations: 'Organisaties',
  originsHint: 'Eén per regel: scheme://host[:port], bv. https://shop.example.com; * staat elke site toe', overTime: 'In de tijd',
  page: 'Pagina', pageN: 'Pagina {n}', pageOf: 'Pagina {n} van {m}', pagination: 'Pagina\'s',
  panelNeedsConsole: 'Open het paneel vanaf de pagina Operators van de console.', panelSnippet: 'Code van het operatorpaneel',
  panelSnippetHint: 'Voor uw CRM: OPERATOR_JWT is een operatortoken dat uw server maakt (POST /api/operator/get-token). De origin van de pagina moet hierboven zijn toegestaan.',
  password: 'Wachtwoord', people: 'Mensen', perPage: 'Per pagina', period: 'Periode', phone: 'Telefoon', photo: 'Foto',
  photoHint: 'Het adres van een afbeelding (https://…)', pickColour: 'Kies een kleur', popupBlocked: 'De browser blokkeerde de nieuwe pagina: sta pop-ups toe voor deze site.',
  position: 'Positie', positionDefault: 'Standaard (rechts)', preChat: 'Formulier vóór de chat', preChatFields: 'Wat de widget vóór een chat vraagt',
  preview: 'Live voorbeeld', previewHint: 'De klantwidget zoals uw site hem toont (na opslaan).', previewSite: 'Uw website',
  previewSiteText: 'Deze pagina toont de chatwidget van de organisatie zoals bezoekers hem zien.', previewTitle: 'Voorbeeld van de klantwidget',
  previous: 'Vorige', profile: 'Profiel', queue: 'Terug naar de wachtrij', rating: 'Beoordeling', removeHours: 'Uren verwijderen op {day}',
  removeSecret: 'Geheim verwijderen', reports: 'Rapporten', requireField: '{field} verplicht', required: 'Verplicht', reset: 'Wissen', retry: 'Opnieuw',
  revokeTokens: 'Tokens intrekken', revoked: 'Tokens ingetrokken', right: 'Rechts', role: 'Rol', roleAdmin: 'Beheerder: alles behalve mensen',
  roleOwner: 'Eigenaar: alles', roleViewer: 'Kijker: alleen lezen', rotateGuid: 'Nieuwe widget-guid',
  rotateGuidHint: 'Een nieuwe guid stopt de oude code meteen (en de sessies van de bezoekers).', rotateSecret: 'Nieuw geheim maken',
  save: 'Opslaan', saved: 'Opgeslagen', search: 'Zoeken', secretIs: 'Ingesteld: {hint}', secretMade: 'Nieuw geheim gemaakt',
  secretOnce: 'Kopieer het nu: het wordt maar één keer getoond.', secretRemoved: 'Geheim verwijderd', secretSet: 'Geheim ingesteld', setSecret: 'Geheim instellen',
  settings: 'Instellingen', shortcut: 'Sneltoets', shortcutHint: 'Wat de operator typt om het te vinden, bv. /hallo', signIn: 'Inloggen',
  signOut: 'Uitloggen', signedOutWhy: 'U bent uitgelogd. Log opnieuw in.', skip: 'Naar de inhoud', source: 'Bron', status: 'Status',
  summary: 'Samenvatting', system: 'Systeem', telegramUser: 'Telegram-gebruikers-id', text: 'Tekst', timeZone: 'Tijdzone',
  tooMany: 'Te veel pogingen. Probeer het over {s} s opnieuw.', transcript: 'Gespreksverslag', transfer: 'Overdragen', unassigned: 'Niet toegewezen',
  unassignedOk: 'Terug in de wachtrij', unknown: 'Onbekend', updated: 'Bijgewerkt', visitorsLanguage: 'De taal van de bezoeker',
  websiteSnippet: 'Code voor de website', websiteSnippetHint: 'Plaats het op elke pagina van uw site, vóór </body>. De origin van de site moet zijn toegestaan.',
  widgetGuid: 'Widget-guid', ownSecret: 'Eigen geheim', ownSecretHint: '32 tot 128 tekens',
  mon: 'Maandag', tue: 'Dinsdag', wed: 'Woensdag', thu: 'Donderdag', fri: 'Vrijdag', sat: 'Zaterdag', sun: 'Zondag',
};

const TR: Texts = {
  actions: 'İşlemler', activate: 'Etkinleştir', activated: 'Etkinleştirildi', active: 'Etkin', add: 'Ekle', addHours: 'Saat ekle',
  addHoursOn: '{day} için saat ekle', addNote: 'Not ekle', all: 'Tümü', allowedOrigins: 'İzin verilen kaynaklar', alwaysOpen: 'Her zaman açık (çalışma saati yok)',
  apply: 'Uygula', ask: 'Sor', askFor: '{field} sor', assign: 'Ata', assignTo: 'Ata:', assigned: 'Atandı', audit: 'Denetim kaydı',
  backToChats: 'Tüm sohbetler', bot: 'Bot', businessHours: 'Çalışma saatleri', byOperator: 'Operatöre göre', cancel: 'Vazgeç',
  canned: 'Hazır yanıtlar', chatN: 'Sohbet {n}', chats: 'Sohbetler', chatsFound: '{n} sohbet', choose: 'Seçin…', client: 'Müşteri',
  clientSearchHint: 'Ad, telefon, e-posta veya harici id', clients: 'Müşteriler', clientsFound: '{n} müşteri', closed: 'Kapalı',
  closesAt: '{day}: kapanış', colour: 'Renk', colourHint: 'Widget\'ın vurgu rengi, örn. #1860d0', confirmDeactivate: '{name} devre dışı bırakılsın mı? Token\'ları hemen geçersiz olur.',
  confirmDelete: 'Silinsin mi?', confirmDeleteChat: 'Bu sohbet tüm mesajlarıyla silinsin mi? Geri alınamaz.',
  confirmDeleteOp: '{name} silinsin mi? Token\'ları hemen geçersiz olur.', confirmDeleteOrg: '{name} operatörleri ve sohbetleriyle silinsin mi? Geri alınamaz.',
  confirmRevoke: '{name} için tüm token\'lar iptal edilsin mi? Açık paneller kapanır.', confirmRotateGuid: 'Yeni widget guid\'i? Yeni kodu koyana kadar sitenizdeki widget durur.',
  consoleTitle: 'Şirket konsolu', consoleUsers: 'Konsol kullanıcıları', copied: 'Kopyalandı', copyPanelSnippet: 'Panel kodunu kopyala',
  copySnippet: 'Kodu kopyala', create: 'Oluştur', created: 'Oluşturuldu', dateFrom: 'Başlangıç', dateTo: 'Bitiş', deactivate: 'Devre dışı bırak',
  deactivated: 'Devre dışı bırakıldı', defaultLanguage: 'Varsayılan dil', delete: 'Sil', deleteChat: 'Sohbeti sil',
  deleteOrgHint: 'Kuruluşu, operatörlerini, token\'larını ve sohbetlerini siler.', deleteOrganization: 'Kuruluşu sil',
  deleted: 'Silindi', deletedOk: 'Silindi', edit: 'Düzenle', email: 'E-posta', expired: 'Oturumunuz sona erdi. Yeniden giriş yapın.',
  externalId: 'Harici id', externalIdHint: 'Operatörün kendi sisteminizdeki id\'si (eşitleme buna göre eşler); ayarlandıktan sonra değişmez', field: 'Alan', file: 'Dosya',
  filterChats: 'Sohbetleri filtrele', fixErrors: 'Kaydedilmedi: işaretli alanları düzeltin.', general: 'Genel', greeting: 'Karşılama',
  guidRotated: 'Yeni widget guid\'i oluşturuldu: sitenizdeki kodu güncelleyin.', identitySecret: 'Kimlik sırrı', inactive: 'Etkin değil',
  language: 'Dil', lastMessage: 'Son mesaj', left: 'Sol', loading: 'Yükleniyor…', login: 'Kullanıcı adı', mainNav: 'Ana menü',
  manage: 'Yönet', maxChats: 'En fazla sohbet', maxChatsRange: 'En fazla sohbet: 0 ile 1000 arasında bir tam sayı', menu: 'Menü', name: 'Ad',
  network: 'ChatHub\'a ulaşılamıyor. Ağı kontrol edip yeniden deneyin.', newCanned: 'Yeni hazır yanıt', newOperator: 'Yeni operatör',
  newOrganization: 'Yeni kuruluş', newUser: 'Yeni konsol kullanıcısı', next: 'Sonraki', noCanned: 'Henüz hazır yanıt yok.', noChats: 'Eşleşen sohbet yok.',
  noMessages: 'Mesaj yok.', noOperator: 'Operatör belirtilmedi.', noOperators: 'Henüz operatör yok.', noOrganizations: 'Henüz kuruluş yok.',
  noSecret: 'Kimlik sırrı yok: ziyaretçiler doğrulanamaz.', notAvailable: 'Bu sunucu bunu henüz sunmuyor.', notFound: 'Bulunamadı',
  note: 'Not', noteAdded: 'Not eklendi', noteHint: 'Dahili: operatörler görür, müşteri görmez.', nothing: 'Gösterilecek bir şey yok.',
  offline: 'Çevrimdışı', offlineContact: 'Çevrimdışı iletişim', offlineContactHint: 'Kimse yanıt veremezken widget\'ta gösterilir',
  online: 'Çevrimiçi', openPanel: 'Paneli aç', opensAt: '{day}: açılış', operator: 'Operatör', operatorPanel: 'Operatör paneli',
  operators: 'Operatörler', organization: 'Kuruluş', organizations: 'Kuruluşlar',
  originsHint: 'Her satıra bir tane: scheme://host[:port], örn. https://shop.example.com; * tüm sitelere izin verir', overTime: 'Zamana göre',
  page: 'Sayfa', pageN: 'Sayfa {n}', pageOf: 'Sayfa {n} / {m}', pagination: 'Sayfalar',
  panelNeedsConsole: 'Paneli konsolun Operatörler sayfasından açın.', panelSnippet: 'Operatör paneli kodu',
  panelSnippetHint: 'CRM\'iniz için: OPERATOR_JWT, sunucunuzda oluşturulan bir operatör token\'ıdır (POST /api/operator/get-token). Sayfanın kaynağına yukarıda izin verilmelidir.',
  password: 'Parola', people: 'Kişiler', perPage: 'Sayfa başına', period: 'Dönem', phone: 'Telefon', photo: 'Fotoğraf',
  photoHint: 'Bir görselin adresi (https://…)', pickColour: 'Renk seçin', popupBlocked: 'Tarayıcı yeni sayfayı engelledi: bu site için açılır pencerelere izin verin.',
  position: 'Konum', positionDefault: 'Varsayılan (sağ)', preChat: 'Sohbet öncesi form', preChatFields: 'Widget\'ın sohbetten önce sordukları',
  preview: 'Canlı önizleme', previewHint: 'Müşteri widget\'ı sitenizde göründüğü gibi (kaydettikten sonra).', previewSite: 'Web siteniz',
  previewSiteText: 'Bu sayfa kuruluşun sohbet widget\'ını ziyaretçilerin gördüğü gibi gösterir.', previewTitle: 'Müşteri widget\'ı önizlemesi',
  previous: 'Önceki', profile: 'Profil', queue: 'Kuyruğa geri', rating: 'Puan', removeHours: '{day} saatlerini kaldır',
  removeSecret: 'Sırrı kaldır', reports: 'Raporlar', requireField: '{field} zorunlu', required: 'Zorunlu', reset: 'Sıfırla', retry: 'Yeniden dene',
  revokeTokens: 'Token\'ları iptal et', revoked: 'Token\'lar iptal edildi', right: 'Sağ', role: 'Rol', roleAdmin: 'Yönetici: kişiler dışında her şey',
  roleOwner: 'Sahip: her şey', roleViewer: 'İzleyici: yalnızca okur', rotateGuid: 'Yeni widget guid\'i',
  rotateGuidHint: 'Yeni guid eski kodu (ve ziyaretçilerinin oturumlarını) hemen durdurur.', rotateSecret: 'Yeni sır oluştur',
  save: 'Kaydet', saved: 'Kaydedildi', search: 'Ara', secretIs: 'Ayarlı: {hint}', secretMade: 'Yeni sır oluşturuldu',
  secretOnce: 'Şimdi kopyalayın: yalnızca bir kez gösterilir.', secretRemoved: 'Sır kaldırıldı', secretSet: 'Sır ayarlandı', setSecret: 'Sırrı ayarla',
  settings: 'Ayarlar', shortcut: 'Kısayol', shortcutHint: 'Operatörün bulmak için yazdığı, örn. /merhaba', signIn: 'Giriş yap',
  signOut: 'Çıkış yap', signedOutWhy: 'Oturumunuz kapatıldı. Yeniden giriş yapın.', skip: 'İçeriğe geç', source: 'Kaynak', status: 'Durum',
  summary: 'Özet', system: 'Sistem', telegramUser: 'Telegram kullanıcı id\'si', text: 'Metin', timeZone: 'Saat dilimi',
  tooMany: 'Çok fazla deneme. {s} sn sonra yeniden deneyin.', transcript: 'Yazışma', transfer: 'Aktar', unassigned: 'Atanmamış',
  unassignedOk: 'Kuyruğa geri alındı', unknown: 'Bilinmiyor', updated: 'Güncellendi', visitorsLanguage: 'Ziyaretçinin dili',
  websiteSnippet: 'Web sitesi kodu', websiteSnippetHint: 'Sitenizin her sayfasına </body> öncesine koyun. Sitenin kaynağına izin verilmelidir.',
  widgetGuid: 'Widget guid\'i', ownSecret: 'Kendi sırrınız', ownSecretHint: '32 ile 128 karakter',
  mon: 'Pazartesi', tue: 'Salı', wed: 'Çarşamba', thu: 'Perşembe', fri: 'Cuma', sat: 'Cumartesi', sun: 'Pazar',
};

const STATUSES = CHAT_STATUSES;
const ALL: Record<string, Texts> = { en: EN, uk: UK, nl: NL, tr: TR };
export const LANGS: [string, string][] = [['en', 'English'], ['uk', 'Українська'], ['nl', 'Nederlands'], ['tr', 'Türkçe']];
const KEYS = Object.keys(EN) as Key[];
const STORE = 'chathub-console:lang';

let current = '';
let translate: Translate<Key>;

function use(l: string) {
  current = l;
  const texts = ALL[l];
  translate = translator(KEYS, KEYS.map((k) => texts[k] ?? EN[k]).join('|'));
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

use(pickLanguage([stored()], (l) => !!ALL[l]));

export const lang = () => current;
export const t = (key: Key, vars?: Vars) => translate(key, vars);
export const statusOf = (s: number) => STATUSES[current].split('|')[s] ?? String(s);
export const sourceName = (s: number) => SOURCES[s] ?? String(s);

export function setLang(l: string) {
  if (!ALL[l]) return;
  use(l);
  try {
    localStorage.setItem(STORE, l);
  } catch { /* private mode */ }
}
