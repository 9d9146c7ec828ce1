package io.chathub.web;

import java.util.List;
import java.util.Locale;

/**
 * A wire enum: its codes are 0..n-1 in the order of {@code names}. Requests give the code (the hosted API's form)
 * or, as an extension, the name, matched ignoring case, '_' and '-' ({@code "telegram"}, {@code "OnPause"},
 * {@code "on_pause"}).
 */
public record WireEnum(String what, List<String> names) {
    public WireEnum(String what, String... names) {
        this(what, List.of(names));
    }

    public int max() {
        return names.size() - 1;
    }

    /** The code of a name, or -1 when it is none of them. */
    public int codeOf(String name) {
        String key = normalize(name);
        for (int i = 0; i < names.size(); i++) {
            if (normalize(names.get(i)).equals(key)) return i;
        }
        return -1;
    }

    public String nameOf(int code) {
        return code >= 0 && code < names.size() ? names.get(code) : null;
    }

    /** "0 (New), 1 (Open), …": for error messages. */
    public String choices() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(i).append(" (").append(names.get(i)).append(')');
        }
        return b.toString();
    }

    private static String normalize(String s) {
        return s.strip().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
