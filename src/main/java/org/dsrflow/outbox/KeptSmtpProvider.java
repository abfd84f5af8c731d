package org.dsrflow.outbox;

import jakarta.mail.Provider;

/**
 * Makes {@link KeptSmtpTransport} known to Jakarta Mail (listed in
 * {@code META-INF/services/jakarta.mail.Provider}), under a protocol name of its own so that it is
 * never the default for {@code smtp}: a session uses it only when its {@code mail.smtp.class} (or
 * {@code mail.smtps.class}) names it, as {@link KeptSmtpConnections} sets for the sending components.
 */
public class KeptSmtpProvider extends Provider {
    public KeptSmtpProvider() {
        super(Type.TRANSPORT, "dsrflow-kept-smtp", KeptSmtpTransport.class.getName(), "dsrflow", null);
    }
}
