package org.dsrflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Intake stores the case and issues its verification in one transaction. With the verification
 * step woven to fail, nothing of the request may remain: no case, no audit row, no mail or event.
 * Runs in a context of its own (and closes it) because it rewires a route.
 */
@CamelSpringBootTest
@DirtiesContext
@TestPropertySource(properties = "dsrflow.test.context=intake-atomicity")
class IntakeAtomicityTests extends EmbeddedStackTest {
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aFailureWhileIssuingTheVerificationLeavesNothingBehind() throws Exception {
        AdviceWith.adviceWith(camel, "dsr-verification-start", route -> route.weaveById("issue-verification").replace()
                .throwException(new IllegalStateException("verification could not be issued")));
        // the supervising route controller does not restart a rewired route by itself
        camel.getRouteController().startRoute("dsr-verification-start");
        long cases = count("dsr_case");
        long audit = count("audit_log");
        long outbox = count("outbox");

        NewRequest request = new NewRequest(CaseType.ACCESS, Channel.WEB, "ella.fisher@example.net", "ella.fisher@example.net", "en");
        assertThatThrownBy(() -> producer.requestBody("direct:dsr-intake", request))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseMessage("verification could not be issued");

        assertThat(count("dsr_case")).isEqualTo(cases);
        assertThat(count("audit_log")).isEqualTo(audit);
        assertThat(count("outbox")).isEqualTo(outbox);
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}
