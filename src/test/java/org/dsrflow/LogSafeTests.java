package org.dsrflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTests {

    @Test
    void addressesAndPhoneNumbersAreRemovedFromErrorTexts() {
        assertThat(LogSafe.redact("550 5.1.1 <li.wei@example.cn>: Recipient address rejected"))
                .isEqualTo("550 5.1.1 <<address>>: Recipient address rejected");
        assertThat(LogSafe.redact("Detail: Key (phone)=(+86 138 0000 0102) already exists"))
                .isEqualTo("Detail: Key (phone)=(<number>) already exists");
        assertThat(LogSafe.redact("connection refused: localhost:5432")).isEqualTo("connection refused: localhost:5432");
        assertThat(LogSafe.redact(null)).isNull();
    }
}
