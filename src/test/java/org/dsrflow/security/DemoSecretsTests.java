package org.dsrflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The demo's public secrets start the demo and nothing else. */
class DemoSecretsTests {

    private static MockEnvironment demoDefaults() {
        return new MockEnvironment()
                .withProperty("dsrflow.secret", "demo-only-secret-not-for-production")
                .withProperty("dsrflow.connectors.hash-secret", "demo-only-hash-secret-not-for-production")
                .withProperty("dsrflow.operator.token", "demo-only-operator-token")
                .withProperty("dsrflow.intake.tickets.sources.jira.secret", "demo-only-jira-secret")
                .withProperty("dsrflow.security.demo-users-allowed", "true")
                .withProperty("dsrflow.mail.from", "privacy@example.com");
    }

    @Test
    void theDemoStartsWithItsOwnSecrets() {
        assertThat(DemoSecrets.problems(demoDefaults())).isEmpty();
        new DemoSecrets(demoDefaults());
    }

    @Test
    void productionNamesEverySettingStillOnADemoValue() {
        MockEnvironment production = demoDefaults().withProperty("dsrflow.secret", "Zq8v-real-secret-from-vault");
        production.setActiveProfiles("production");
        assertThat(DemoSecrets.problems(production)).containsExactly("dsrflow.connectors.hash-secret",
                "dsrflow.intake.tickets.sources.jira.secret", "dsrflow.operator.token",
                "dsrflow.security.demo-users-allowed=false (and real console users)");
        assertThatThrownBy(() -> new DemoSecrets(production)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dsrflow.operator.token").hasMessageNotContaining("demo-only-operator-token");
    }

    @Test
    void productionWithRealSecretsStarts() {
        MockEnvironment clean = new MockEnvironment().withProperty("dsrflow.secret", "a-real-secret")
                .withProperty("dsrflow.security.demo-users-allowed", "false").withProperty("dsrflow.operator.token", "Nq3-from-the-vault-01");
        clean.setActiveProfiles("production");
        assertThat(DemoSecrets.problems(clean)).isEmpty();
    }
}
