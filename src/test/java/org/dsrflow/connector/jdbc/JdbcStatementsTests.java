package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.dsrflow.connector.ConnectorConfigException;
import org.dsrflow.connector.Subject;
import org.junit.jupiter.api.Test;

class JdbcStatementsTests {
    static final String SHOP = """
            system: shop
            type: jdbc
            connection: { url: "embedded:shop", schema: public }
            tables:
              - name: customers
                purpose: accounts
                match: { email: email }
                key: id
                columns:
                  id: { category: identifier.account, erase: keep }
                  email: { category: contact.email, erase: hash }
                  name: { category: identity.name, erase: mask }
                  phone: { category: contact.phone, erase: null }
                  status: { category: account.metadata, erase: fixed, value: erased }
              - name: orders
                purpose: orders
                via: { column: customer_id, parent: customers, parent-column: id }
                key: id
                on-erase: delete
                columns:
                  id: { category: identifier.order, erase: keep }
                  customer_id: { category: identifier.account, erase: keep }
                  total: { category: financial.transaction, erase: keep }
              - name: order_notes
                purpose: notes on orders
                via: { column: order_id, parent: orders, parent-column: id }
                key: id
                on-erase: delete
                columns:
                  id: { category: identifier.note, erase: keep }
                  order_id: { category: identifier.order, erase: keep }
                  note: { category: support.note, erase: keep }
              - name: receipts
                purpose: tax receipts
                via: { column: customer_id, parent: customers, parent-column: id }
                key: id
                on-erase: retain
                retention: { reason: tax law, legal-basis: "Tax Act s.1", period: P10Y }
                columns:
                  id: { category: identifier.receipt, erase: keep }
                  customer_id: { category: identifier.account, erase: keep }
                  total: { category: financial.transaction, erase: keep }
                  buyer: { category: identity.name, erase: fixed, value: ANONYMIZED }
            """;

    static JdbcConnectorSpec spec(String yaml) throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        return JdbcSpecReader.read("connectors/test.yaml", root);
    }

    private final Subject subject = new Subject("Robert'); DROP TABLE customers;--@example.com");

    @Test
    void subjectValuesAreBoundNeverWrittenIntoTheSql() throws Exception {
        JdbcStatements statements = new JdbcStatements(spec(SHOP), KeyedHash.fromSecret("k"), SqlDialect.POSTGRESQL);
        JdbcConnectorSpec spec = spec(SHOP);
        for (var table : spec.tables()) {
            for (JdbcStatements.Sql sql : new JdbcStatements.Sql[] {statements.select(table, subject), statements.erase(table, subject),
                    statements.count(table, subject)}) {
                assertThat(sql.text()).doesNotContain("DROP").doesNotContain("example.com").doesNotContain("erased")
                        .doesNotContain("ANONYMIZED");
                assertThat(sql.parameters()).contains(subject.email());
                assertThat(sql.text().chars().filter(c -> c == '?').count()).isEqualTo(sql.parameters().size());
            }
        }
    }

    @Test
    void childTablesAreFoundThroughTheirParentsInOneStatement() throws Exception {
        JdbcConnectorSpec spec = spec(SHOP);
        JdbcStatements statements = new JdbcStatements(spec, KeyedHash.fromSecret("k"), SqlDialect.POSTGRESQL);
        JdbcStatements.Sql notes = statements.select(spec.table("order_notes").orElseThrow(), subject);
        assertThat(notes.text()).isEqualTo("select \"id\", \"order_id\", \"note\" from \"public\".\"order_notes\" where \"order_id\" in "
                + "(select \"id\" from \"public\".\"orders\" where \"customer_id\" in (select \"id\" from \"public\".\"customers\" "
                + "where (lower(\"email\") = ?))) order by \"id\"");
    }

    @Test
    void eraseRewritesEachPersonalColumnByItsStrategyAndVisitsChildrenFirst() throws Exception {
        JdbcConnectorSpec spec = spec(SHOP);
        JdbcStatements statements = new JdbcStatements(spec, KeyedHash.fromSecret("k"), SqlDialect.POSTGRESQL);
        String update = statements.erase(spec.table("customers").orElseThrow(), subject).text();
        assertThat(update).startsWith("update \"public\".\"customers\" set ")
                .contains("\"email\" = encode(sha256(")
                .contains("\"name\" = left(\"name\", 1) || '***'")
                .contains("\"phone\" = null")
                .contains("\"status\" = ?")
                .doesNotContain("\"id\" =");
        assertThat(statements.erase(spec.table("orders").orElseThrow(), subject).text()).startsWith("delete from \"public\".\"orders\"");
        assertThat(statements.eraseOrder()).extracting(JdbcConnectorSpec.TableSpec::name).containsExactly("receipts", "order_notes", "orders", "customers");
    }

    @Test
    void identifiersThatAreNotPlainNamesAreRefused() {
        assertThatThrownBy(() -> JdbcStatements.quote("customers\"; drop table x; --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec(SHOP.replace("- name: orders", "- name: \"orders; drop table customers\"")))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("connectors/test.yaml: tables[1].name: expected a plain SQL identifier");
    }

    @Test
    void everyMistakeInAFileIsReportedWithItsPath() {
        String broken = SHOP.replace("erase: mask", "erase: scramble")
                .replace("parent: customers", "parent: nowhere")
                .replace("period: P10Y", "period: ten years");
        assertThatThrownBy(() -> spec(broken))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "connectors/test.yaml: tables[0].columns.name.erase: expected one of [keep, null, hash, mask, fixed], got 'scramble'",
                        "connectors/test.yaml: tables[1].via.parent: expected a table listed before this one, got 'nowhere'",
                        "connectors/test.yaml: tables[3].via.parent: expected a table listed before this one, got 'nowhere'",
                        "connectors/test.yaml: tables[3].retention.period: expected an ISO-8601 period such as P10Y or P6M, got 'ten years'"));
    }

    @Test
    void aTableNeedsMatchOrViaButNotBoth() {
        String both = SHOP.replace("    via: { column: customer_id, parent: customers, parent-column: id }",
                "    via: { column: customer_id, parent: customers, parent-column: id }\n    match: { email: email }");
        assertThatThrownBy(() -> spec(both)).hasMessageContaining("tables[1]: a table needs exactly one of 'match'");
    }

    @Test
    void exportMemoryDefaultsToEnoughForAnExactBitmapAndRefusesAnythingButAnAmount() throws Exception {
        assertThat(spec(SHOP).connection().exportWorkMem()).isEqualTo(JdbcSpecReader.DEFAULT_EXPORT_WORK_MEM).isEqualTo("32MB");
        assertThat(spec(SHOP.replace("schema: public }", "schema: public, export-work-mem: 128MB }")).connection().exportWorkMem())
                .isEqualTo("128MB");
        for (String bad : new String[] {"lots", "0MB", "64 MB", "64MB'; drop table customers; --", "64mb"}) {
            assertThatThrownBy(() -> spec(SHOP.replace("schema: public }", "schema: public, export-work-mem: \"" + bad + "\" }")))
                    .as(bad)
                    .isInstanceOf(ConnectorConfigException.class)
                    .hasMessageContaining("connection.export-work-mem: expected an amount of memory such as 64MB");
        }
        for (String outOfRange : new String[] {"63kB", "65GB"}) {
            assertThatThrownBy(() -> spec(SHOP.replace("schema: public }", "schema: public, export-work-mem: " + outOfRange + " }")))
                    .as(outOfRange)
                    .hasMessageContaining("connection.export-work-mem: expected between 64kB and 64GB");
        }
        assertThat(spec(SHOP.replace("schema: public }", "schema: public, export-work-mem: 64kB }")).connection().exportWorkMem())
                .isEqualTo("64kB");
    }
}
