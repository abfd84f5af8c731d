package org.dsrflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.junit.jupiter.api.Test;

/** The README's "see the rows" endpoint: demo databases only, tables the database itself lists. */
class DemoTablesTests extends EmbeddedStackTest {

    @Test
    void showsTheRowsOfOneAccountInADemoSystem() throws Exception {
        Http.Reply reply = new Http(port).get("/demo/systems/billing/invoices?account_id=1003");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().size()).isPositive();
        reply.json().forEach(row -> assertThat(row.path("account_id").asLong()).isEqualTo(1003));
    }

    @Test
    void refusesAnythingButADemoDatabaseAndOneOfItsTables() throws Exception {
        Http http = new Http(port);
        assertThat(http.get("/demo/systems/dsrflow/dsr_case").status()).as("the case store is not a demo system").isEqualTo(404);
        assertThat(http.get("/demo/systems/billing/pg_shadow").status()).isEqualTo(404);
        // an encoded quote and semicolon: the security firewall refuses the path (400) before the controller sees it (404)
        assertThat(http.get("/demo/systems/billing/accounts%22%3Bdrop%20table%20accounts--").status()).isIn(400, 404);
        assertThat(http.get("/demo/systems/billing/accounts").status()).isEqualTo(200);
    }
}
