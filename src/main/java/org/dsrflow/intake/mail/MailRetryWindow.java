package org.dsrflow.intake.mail;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The mail consumer's note of the mails it picked up, so that a mail handled but still in the
 * inbox is not picked up on every poll. (Whether a mail was taken in is the route's own
 * idempotent repository, {@code inboundMails}, in the case store.) The consumer reads every mail
 * in the inbox, read or not; a mail normally leaves it when its exchange completes, and one whose
 * exchange failed is forgotten here and read on the next poll. What is left is a mail whose move
 * out of the inbox failed (a full quota, a folder that cannot be made): it is passed over for
 * {@code dsrflow.intake.mail.move-retry} and then read again, found taken, and its move tried
 * again. Passed over, it does not take one of a poll's places, so a pile of such mails cannot
 * keep new mail from being read.
 */
@Component("mailRetryWindow")
public class MailRetryWindow extends ServiceSupport implements IdempotentRepository {
    private static final Logger log = LoggerFactory.getLogger(MailRetryWindow.class);

    private final long retryAfterNanos;
    private final LongSupplier clock;
    private final Map<String, Long> pickedUp = new ConcurrentHashMap<>();

    @Autowired
    public MailRetryWindow(@Value("${dsrflow.intake.mail.move-retry:PT1M}") Duration retryAfter) {
        this(retryAfter, System::nanoTime);
    }

    MailRetryWindow(Duration retryAfter, LongSupplier clock) {
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("dsrflow.intake.mail.move-retry must be positive");
        }
        this.retryAfterNanos = retryAfter.toNanos();
        this.clock = clock;
    }

    /** True when the mail should be read now: not picked up before, or picked up longer ago than move-retry. */
    @Override
    public boolean add(String key) {
        long now = clock.getAsLong();
        boolean[] readNow = {false};
        boolean[] again = {false};
        pickedUp.compute(key, (k, at) -> {
            if (at != null && now - at < retryAfterNanos) {
                return at;
            }
            readNow[0] = true;
            again[0] = at != null;
            return now;
        });
        if (again[0]) {
            log.warn("A mail handled earlier is still in the mailbox (moving it out failed); reading it again to try the move again");
        }
        return readNow[0];
    }

    @Override
    public boolean contains(String key) {
        return pickedUp.containsKey(key);
    }

    /** The exchange failed (read on the next poll) or completed and the mail left the inbox. */
    @Override
    public boolean remove(String key) {
        return pickedUp.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        pickedUp.remove(key);
        return true;
    }

    @Override
    public void clear() {
        pickedUp.clear();
    }
}
