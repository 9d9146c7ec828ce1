package io.chathub.chat;

import io.chathub.web.WireEnum;

/**
 * The wire enums of SPEC §1, as their numeric codes, and their names: a request's {@code source} and {@code status}
 * may also give the name (an extension); the others take the code only.
 */
public final class Enums {
    private Enums() {}

    public static final WireEnum CHAT_STATUS = new WireEnum("chat status", "New", "Open", "Waiting", "OnPause", "Closed");
    public static final WireEnum AUTHOR = new WireEnum("author", "Operator", "Client", "Bot", "System");
    public static final WireEnum MESSAGE_STATUS = new WireEnum("message status", "New", "Success", "Rejected", "Read");
    public static final WireEnum SOURCE = new WireEnum("source", "Widget", "ViberBot", "Telegram", "WhatsApp", "Viber",
            "Instagram", "Facebook", "Rozetka", "PromUa", "Api");
    public static final WireEnum MEDIA_TYPE = new WireEnum("media type", "File", "Photo", "Video", "Audio");

    public static final class ChatStatus {
        public static final int NEW = 0, OPEN = 1, WAITING = 2, ON_PAUSE = 3, CLOSED = 4;

        private ChatStatus() {}

        public static boolean valid(int s) {
            return s >= NEW && s <= CLOSED;
        }
    }

    public static final class Author {
        public static final int OPERATOR = 0, CLIENT = 1, BOT = 2, SYSTEM = 3;

        private Author() {}
    }

    public static final class MessageStatus {
        public static final int NEW = 0, SUCCESS = 1, REJECTED = 2, READ = 3;

        private MessageStatus() {}
    }

    /** 0 Widget, 1 ViberBot, 2 Telegram, 3 WhatsApp, 4 Viber, 5 Instagram, 6 Facebook, 7 Rozetka, 8 PromUa, 9 Api. */
    public static final class Source {
        public static final int WIDGET = 0, VIBER_BOT = 1, TELEGRAM = 2, WHATSAPP = 3, API = 9, MAX = 9;

        private Source() {}
    }

    /** 0 File, 1 Photo, 2 Video, 3 Audio. */
    public static final class MediaType {
        public static final int FILE = 0, PHOTO = 1, VIDEO = 2, AUDIO = 3;

        private MediaType() {}
    }
}
