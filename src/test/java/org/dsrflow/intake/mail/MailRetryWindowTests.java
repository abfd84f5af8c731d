package org.dsrflow.intake.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Which mails of the inbox the mail consumer reads on a poll (see {@link MailRetryWindow}). */
class MailRetryWindowTests {
    final AtomicLong now = new AtomicLong(1_000);
    final MailRetryWindow window = new MailRetryWindow(Duration.ofMinutes(1), now::get);

    @Test
    void aMailPickedUpIsPassedOverUntilMoveRetryThenReadAgain() {
        assertThat(window.add("mid:<a@x>")).as("new in the inbox").isTrue();
        // its exchange completed but the move out of the inbox failed: nothing removed it
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(window.add("mid:<a@x>")).as("passed over within move-retry").isFalse();
        assertThat(window.add("mid:<b@x>")).as("other mails are read meanwhile").isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(window.add("mid:<a@x>")).as("read again after move-retry, to try the move again").isTrue();
        assertThat(window.add("mid:<a@x>")).as("and passed over again for the next move-retry").isFalse();
    }

    @Test
    void aFailedExchangeOrAMailThatLeftIsReadOnTheNextPoll() {
        window.add("mid:<failed@x>");
        window.remove("mid:<failed@x>"); // the consumer's rollback
        assertThat(window.add("mid:<failed@x>")).isTrue();

        window.add("mid:<moved@x>");
        window.confirm("mid:<moved@x>"); // the consumer's commit (the mail left the inbox)
        assertThat(window.contains("mid:<moved@x>")).isFalse();
        assertThat(window.add("mid:<moved@x>")).as("the same mail appended again is read").isTrue();
    }

    @Test
    void aMoveRetryOfZeroIsRefused() {
        assertThatThrownBy(() -> new MailRetryWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("move-retry");
    }
}
