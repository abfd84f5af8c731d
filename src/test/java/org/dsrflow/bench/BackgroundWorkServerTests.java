package org.dsrflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The background-work watcher against the test's own PostgreSQL: its statements read what they should. */
class BackgroundWorkServerTests extends EmbeddedStackTest {
    @Autowired
    EmbeddedPostgresServer postgres;

    @Test
    void countsACheckpointBegunWhileItWatched() throws Exception {
        BackgroundWork watched = BackgroundWork.watch(List.of(new BackgroundWork.Server(postgres.jdbcUrl("postgres"), "")), "postgres", "");
        try {
            new JdbcTemplate(postgres.dataSource("postgres")).execute("checkpoint");
        } finally {
            watched.close();
        }
        assertThat(watched.summary()).containsPattern("\\d+ checkpoints? begun \\(\\d+\\.\\d MB written by checkpoints\\)")
                .doesNotContain("unknown").doesNotStartWith("0 checkpoints");
    }

    @Test
    void saysNothingForAServerItCannotReach() {
        BackgroundWork watched = BackgroundWork.watch(List.of(new BackgroundWork.Server("jdbc:postgresql://localhost:1/none", "")), "postgres", "");
        watched.close();
        assertThat(watched.summary()).isNull();
    }
}
