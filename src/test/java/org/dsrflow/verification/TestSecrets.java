package org.dsrflow.verification;

import org.dsrflow.DsrflowSettings;

/** {@link Secrets} keyed with a test secret, for tests of other packages that sign or check links. */
public final class TestSecrets {
    private TestSecrets() {
    }

    public static Secrets keyedWith(String secret) {
        return new Secrets(new DsrflowSettings("https://privacy.example.com", null, secret, null, null, null));
    }
}
