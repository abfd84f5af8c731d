package org.dsrflow.intake.mail;

import org.dsrflow.intake.NewRequest;

/**
 * One mail from the privacy mailbox as read: a request to take in, a mail never to answer
 * (auto-replies, bounces, lists, our own), or one to quarantine because it cannot be read or
 * trusted. Ignored and quarantined mails carry the reason.
 *
 * @param key  what makes the mail the same mail when delivered again: its Message-ID, else a hash of its bytes
 * @param raw  the mail's bytes when they were read (kept with a quarantined mail up to a size limit)
 */
public record InboundMail(String key, Disposition disposition, String reason, NewRequest newRequest, long size, byte[] raw) {

    public enum Disposition { REQUEST, IGNORE, QUARANTINE }

    static InboundMail request(String key, NewRequest request, long size) {
        return new InboundMail(key, Disposition.REQUEST, null, request, size, null);
    }

    static InboundMail ignore(String key, String reason, long size) {
        return new InboundMail(key, Disposition.IGNORE, reason, null, size, null);
    }

    static InboundMail quarantine(String key, String reason, long size, byte[] raw) {
        return new InboundMail(key, Disposition.QUARANTINE, reason, null, size, raw);
    }

    public boolean isRequest() {
        return disposition == Disposition.REQUEST;
    }

    public boolean isIgnored() {
        return disposition == Disposition.IGNORE;
    }

    public boolean isQuarantined() {
        return disposition == Disposition.QUARANTINE;
    }
}
