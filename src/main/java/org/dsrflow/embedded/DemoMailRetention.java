package org.dsrflow.embedded;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the demo mail server's idle mailboxes. The embedded mail server makes a mailbox for every
 * address it receives mail for and keeps every mail in memory for as long as it runs; worse, it
 * finds a mailbox by walking the list of all of them, so after tens of thousands of requesters (a
 * benchmark's warm-up) each delivery costs a walk of that list, and memory only grows. A mailbox
 * whose newest mail is older than {@code keep-for}, or that has held none for {@code keep-for}
 * (a mailbox made by a login), is removed with its mail; the mailboxes dsrflow itself reads (the
 * privacy mailbox) are always kept. A mail arriving later for a removed address simply makes its
 * mailbox again.
 */
public final class DemoMailRetention {
    private static final Logger log = LoggerFactory.getLogger(DemoMailRetention.class);

    private final GreenMail mail;
    private final Duration keepFor;
    private final Duration period;
    private final Set<String> kept;
    private ScheduledExecutorService timer;
    /** Mailboxes found without mail, and since which sweep; only the sweeps touch it. */
    private Map<String, Instant> emptySince = new HashMap<>();

    public DemoMailRetention(GreenMail mail, Duration keepFor, Duration period, Set<String> kept) {
        if (keepFor.isNegative() || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("dsrflow.embedded.mail.keep-for must not be negative and sweep-period must be positive");
        }
        this.mail = mail;
        this.keepFor = keepFor;
        this.period = period;
        this.kept = kept.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-mail-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep(Instant.now());
            } catch (RuntimeException e) {
                // the next sweep tries again; the demo's mail keeps flowing meanwhile
                log.warn("Could not sweep the demo mail server's mailboxes: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            // a sweep under way ends before the mail server it walks is stopped
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Removes the mailboxes idle since before {@code now - keep-for}; returns how many. */
    public synchronized int sweep(Instant now) {
        Instant cutoff = now.minus(keepFor);
        ImapHostManager folders = mail.getManagers().getImapHostManager();
        Map<String, Instant> stillEmpty = new HashMap<>();
        int removed = 0;
        for (GreenMailUser user : java.util.List.copyOf(mail.getUserManager().listUser())) {
            try {
                if (isKept(user)) {
                    continue;
                }
                Instant newest = newestMail(folders, user);
                if (newest == null) {
                    // no mail: idle only once it has been empty for keep-for (a mail may be on its way)
                    newest = emptySince.getOrDefault(user.getLogin(), now);
                    stillEmpty.put(user.getLogin(), newest);
                }
                if (newest.isAfter(cutoff)) {
                    continue;
                }
                stillEmpty.remove(user.getLogin());
                // a mail arriving between this look and the removal goes with the mailbox, or its delivery
                // fails and dsrflow's outbox sends it again: acceptable for a demo's idle mailboxes only
                mail.getUserManager().deleteUser(user);
                removed++;
            } catch (RuntimeException e) {
                // one mailbox changing under the sweep does not stop it: the next sweep looks again
                log.debug("Demo mail server: mailbox of {} left for the next sweep: {}", user.getLogin(), e.toString());
            }
        }
        emptySince = stillEmpty;
        if (removed > 0) {
            log.debug("Demo mail server: {} mailboxes idle for {} removed", removed, keepFor);
        }
        return removed;
    }

    private boolean isKept(GreenMailUser user) {
        return kept.contains(String.valueOf(user.getEmail()).toLowerCase(Locale.ROOT))
                || kept.contains(String.valueOf(user.getLogin()).toLowerCase(Locale.ROOT));
    }

    /** When the newest mail in the user's inbox arrived; null when it holds none. */
    private static Instant newestMail(ImapHostManager folders, GreenMailUser user) {
        try {
            MailFolder inbox = folders.getInbox(user);
            if (inbox == null) {
                return Instant.MAX; // being made or removed right now: leave it for the next sweep
            }
            Instant newest = null;
            // a copy taken under the list's own lock: a mail may be delivered meanwhile
            for (StoredMessage m : inbox.getMessages().toArray(new StoredMessage[0])) {
                Instant received = m.getReceivedDate() == null ? Instant.EPOCH : m.getReceivedDate().toInstant();
                if (newest == null || received.isAfter(newest)) {
                    newest = received;
                }
            }
            return newest;
        } catch (FolderException e) {
            // no inbox (being made or removed right now): leave it for the next sweep
            return Instant.MAX;
        }
    }
}
