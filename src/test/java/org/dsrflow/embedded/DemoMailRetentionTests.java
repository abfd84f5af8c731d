package org.dsrflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo mail server's idle mailboxes go after keep-for, with their mail; the privacy mailbox and
 * mailboxes with recent mail stay; an address whose mailbox went gets mail again. A real GreenMail,
 * mail delivered over SMTP.
 */
class DemoMailRetentionTests {
    private GreenMail mail;
    private ServerSetup smtp;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        mail.start();
        smtp = new ServerSetup(mail.getSmtp().getPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    private void send(String to, String subject) {
        GreenMailUtil.sendTextEmail(to, "dsrflow@dsrflow.localhost", subject, "body", smtp);
    }

    private boolean hasMailbox(String address) {
        return mail.getUserManager().getUserByEmail(address) != null;
    }

    @Test
    void mailboxesIdleLongerThanKeepForGoAndThePrivacyMailboxStays() throws Exception {
        DemoMailRetention retention = new DemoMailRetention(mail, Duration.ofHours(1), Duration.ofMinutes(1),
                Set.of("Privacy@dsrflow.localhost"));
        send("old.reader@example.com", "your code");
        send("privacy@dsrflow.localhost", "a request");
        Instant now = Instant.now();

        assertThat(retention.sweep(now)).as("all mail is new").isZero();
        assertThat(hasMailbox("old.reader@example.com")).isTrue();

        Instant later = now.plus(Duration.ofHours(1)).plusSeconds(5);
        assertThat(retention.sweep(later)).isEqualTo(1);
        assertThat(hasMailbox("old.reader@example.com")).isFalse();
        assertThat(hasMailbox("privacy@dsrflow.localhost")).as("the mailbox dsrflow reads is kept, whatever its age").isTrue();
        assertThat(mail.getReceivedMessages()).as("the removed mailbox's mail went with it").hasSize(1);

        // a mail for the removed address makes its mailbox again
        send("old.reader@example.com", "your reply");
        assertThat(hasMailbox("old.reader@example.com")).isTrue();
        assertThat(mail.getReceivedMessages()).extracting(m -> m.getSubject()).containsExactlyInAnyOrder("a request", "your reply");
    }

    @Test
    void aMailboxWithOneRecentMailStaysAndOneWithNoMailGoesOnceEmptyForKeepFor() throws Exception {
        DemoMailRetention retention = new DemoMailRetention(mail, Duration.ofMinutes(10), Duration.ofMinutes(1), Set.of());
        send("busy.reader@example.com", "first");
        Instant first = Instant.now();
        GreenMailUser empty = mail.getUserManager().createUser("empty.reader@example.com", "empty.reader@example.com", "any");
        Thread.sleep(1100);
        send("busy.reader@example.com", "second");

        // just after the first mail's keep-for: the second, newer one keeps the mailbox; the empty one is
        // seen empty for the first time (a login makes a mailbox before its first mail arrives)
        Instant sweep = first.plus(Duration.ofMinutes(10)).plusMillis(500);
        assertThat(retention.sweep(sweep)).isZero();
        assertThat(hasMailbox("busy.reader@example.com")).isTrue();
        assertThat(hasMailbox(empty.getEmail())).as("a mailbox just found empty").isTrue();
        assertThat(retention.sweep(sweep.plus(Duration.ofMinutes(9)))).as("the busy one, its newest mail old now").isEqualTo(1);
        assertThat(hasMailbox("busy.reader@example.com")).isFalse();
        assertThat(hasMailbox(empty.getEmail())).as("empty for less than keep-for").isTrue();

        assertThat(retention.sweep(sweep.plus(Duration.ofMinutes(10)))).isEqualTo(1);
        assertThat(hasMailbox(empty.getEmail())).as("a mailbox empty for keep-for is idle").isFalse();
    }

    @Test
    void aNegativeKeepForOrNoSweepPeriodIsRefused() {
        assertThatThrownBy(() -> new DemoMailRetention(mail, Duration.ofMinutes(-1), Duration.ofMinutes(1), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-for");
        assertThatThrownBy(() -> new DemoMailRetention(mail, Duration.ofMinutes(1), Duration.ZERO, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sweep-period");
    }
}
