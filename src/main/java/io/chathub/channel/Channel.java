package io.chathub.channel;

/**
 * A messenger channel: a company's Telegram bot, Viber bot or WhatsApp number connected to one organization. Its
 * credentials are kept apart, encrypted ({@link ChannelStore#credentials}); nothing here is secret.
 *
 * @param status     {@link #PENDING} while its webhook is being registered, {@link #ACTIVE} after
 * @param externalId the bot's or number's id in the messenger
 * @param avatar     Viber: the sender avatar URL of its messages (null otherwise)
 */
public record Channel(long id, long companyId, long organizationId, String type, String name, String avatar, String status,
                      String externalId, long createdAt, long updatedAt) {
    public static final String PENDING = "pending", ACTIVE = "active";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
