package org.dsrflow.intake;

import java.util.Optional;

import org.dsrflow.LogSafe;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ConnectorRegistry;
import org.dsrflow.connector.IdentitySource;
import org.dsrflow.connector.IdentitySource.Account;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who an address belongs to, asked of the account system. If no connector declares itself the
 * identity source, or the account system cannot be reached, the request goes on as one from a
 * person without an account: the code goes to the address they wrote from, and every system is
 * searched for that address. A request is never refused or lost because of it.
 */
@Component
public class AccountDirectory {
    private static final Logger log = LoggerFactory.getLogger(AccountDirectory.class);

    /** The outcome of a lookup: the account, or why there is none. */
    public record Match(Account account, Outcome outcome) {
        public Optional<Account> found() {
            return Optional.ofNullable(account);
        }
    }

    public enum Outcome { MATCHED, NO_ACCOUNT, NO_IDENTITY_SOURCE, UNAVAILABLE }

    private final Optional<IdentitySource> source;

    AccountDirectory(ConnectorRegistry registry) {
        this.source = registry.identitySource();
        log.info("Identity source: {}", source.map(IdentitySource::system).orElse("none (every request is verified by its address alone)"));
    }

    public Match find(String email) {
        if (source.isEmpty()) {
            return new Match(null, Outcome.NO_IDENTITY_SOURCE);
        }
        try {
            return source.get().findByEmail(email).map(a -> new Match(a, Outcome.MATCHED))
                    .orElseGet(() -> new Match(null, Outcome.NO_ACCOUNT));
        } catch (ConnectorException e) {
            log.warn("The account system {} could not be asked; going on as for a person without an account: {}",
                    source.get().system(), LogSafe.redact(e.getMessage()));
            return new Match(null, Outcome.UNAVAILABLE);
        }
    }

    public Optional<IdentitySource> source() {
        return source;
    }
}
