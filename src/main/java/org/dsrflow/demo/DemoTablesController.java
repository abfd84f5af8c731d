package org.dsrflow.demo;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Demo only: shows the rows of the demo systems (billing, logs, crm) so a person following the
 * README can see what an erasure did without a database client. It exists only while the embedded
 * PostgreSQL runs, reads only the seeded demo databases, and takes no SQL from the caller.
 */
@RestController
@ConditionalOnProperty(name = "dsrflow.embedded.postgres.enabled", havingValue = "true")
class DemoTablesController {
    private final EmbeddedPostgresServer postgres;
    private final Set<String> demoDatabases;

    DemoTablesController(EmbeddedPostgresServer postgres, @Value("${dsrflow.embedded.postgres.seeds.billing:}") String billing) {
        this.postgres = postgres;
        this.demoDatabases = billing.isEmpty() ? Set.of() : Set.of("billing", "logs", "crm");
    }

    @GetMapping("/demo/systems/{database}/{table}")
    ResponseEntity<?> rows(@PathVariable String database, @PathVariable String table,
                           @RequestParam(name = "account_id", required = false) Long accountId) {
        if (!demoDatabases.contains(database)) {
            return ResponseEntity.status(404).body(Map.of("error", "not_found", "message", "Demo systems are: " + demoDatabases));
        }
        JdbcTemplate db = new JdbcTemplate(postgres.dataSource(database));
        List<String> tables = db.queryForList("select table_name from information_schema.tables where table_schema = 'public'", String.class);
        if (!tables.contains(table)) {
            return ResponseEntity.status(404).body(Map.of("error", "not_found", "message", "Tables in " + database + ": " + tables));
        }
        boolean filter = accountId != null && !db.queryForList("select 1 from information_schema.columns where table_schema = 'public' "
                + "and table_name = ? and column_name = 'account_id'", table).isEmpty();
        // The table name is one the database itself listed above, so quoting it is safe.
        String sql = "select * from \"" + table + "\"" + (filter ? " where account_id = ?" : "") + " order by 1 limit 100";
        return ResponseEntity.ok(filter ? db.queryForList(sql, accountId) : db.queryForList(sql));
    }
}
