package org.dsrflow.intake;

import java.sql.Timestamp;
import java.time.Instant;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The mailbox's idempotent repository: keys (Message-IDs) of mails already taken in, in the case
 * store. Used inside the intake transaction, so a key is stored exactly when what the mail caused
 * is stored — a crash in between leaves neither, and the mail is read again.
 */
@Component("inboundMails")
public class InboundMessages extends ServiceSupport implements IdempotentRepository {
    private static final String CHANNEL = "EMAIL";

    private final JdbcTemplate jdbc;

    InboundMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean add(String key) {
        // a second instance adding the same key waits for the first one's transaction, then sees it
        return jdbc.update("insert into inbound_message (channel, message_key, first_seen) values (?,?,?) on conflict do nothing",
                CHANNEL, key, Timestamp.from(Instant.now())) == 1;
    }

    @Override
    public boolean contains(String key) {
        Integer n = jdbc.queryForObject("select count(*) from inbound_message where channel = ? and message_key = ?", Integer.class,
                CHANNEL, key);
        return n != null && n > 0;
    }

    @Override
    public boolean remove(String key) {
        return jdbc.update("delete from inbound_message where channel = ? and message_key = ?", CHANNEL, key) == 1;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /**
     * Refused on purpose: wiping the record of mails taken in would make every mail still in the
     * mailbox (or moved back into it) a new request again. Single keys are removed by {@link #remove}.
     */
    @Override
    public void clear() {
        throw new IllegalStateException("refused: the record of mails taken in is never cleared wholesale");
    }
}
