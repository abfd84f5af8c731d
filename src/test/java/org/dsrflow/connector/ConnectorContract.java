package org.dsrflow.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What every connector type promises fulfilment, whatever it talks to. A type's contract test
 * extends this class, sets up a system holding records of two people, and says how to build a
 * connector for it, one for a system that is down, and a file with a mistake in it.
 *
 * <p>Each test starts from the fixture as {@link #freshSystem()} leaves it.
 */
public abstract class ConnectorContract {

    /** A connector for a system where {@link #subject()} and {@link #bystander()} both have records. */
    protected abstract Connector freshSystem() throws Exception;

    /** A connector of the same type for a system that does not answer at all. */
    protected abstract Connector unreachableSystem() throws Exception;

    /** The type's factory and a definition with a mistake, and a path the refusal must name. */
    protected abstract BadConfig badConfig() throws Exception;

    public record BadConfig(ConnectorFactory factory, String file, com.fasterxml.jackson.databind.JsonNode definition,
                               String pathNamed) {
    }

    /** The person whose request is being fulfilled. */
    protected abstract Subject subject();

    /** Someone else in the same system, who must be left exactly as they were. */
    protected abstract Subject bystander();

    /** A text that appears in the subject's records and must not be findable after erasure (a name, say). */
    protected abstract String subjectMarker();

    @Test
    void aHealthySystemChecksClean() throws Exception {
        ConnectorCheck check = freshSystem().check();
        assertThat(check.reachable()).isTrue();
        assertThat(check.problems()).isEmpty();
    }

    @Test
    void exportStreamsTheSubjectsRecordsAndNoOneElses() throws Exception {
        Collected sink = new Collected();
        ExportSummary summary = freshSystem().export(subject(), sink);
        assertThat(summary.total()).isPositive().isEqualTo(sink.records.size());
        assertThat(sink.text()).contains(subjectMarker()).doesNotContain(bystander().email());
        assertThat(sink.openTables).as("every table started is ended").isZero();
    }

    @Test
    void someoneTheSystemNeverHeardOfHasNothingAndErasesNothing() throws Exception {
        Connector connector = freshSystem();
        Subject stranger = new Subject("nobody-" + System.nanoTime() + "@example.org");
        assertThat(connector.export(stranger, new Collected()).total()).isZero();
        assertThat(connector.erase(stranger).totalRows()).isZero();
        assertThat(connector.verifyErased(stranger).erased()).isTrue();
    }

    @Test
    void beforeErasureTheProofFindsTheSubject() throws Exception {
        assertThat(freshSystem().verifyErased(subject()).erased()).as("verifyErased must be able to fail").isFalse();
    }

    @Test
    void erasureLeavesNothingFindableAndTheBystanderUntouched() throws Exception {
        Connector connector = freshSystem();
        Collected before = new Collected();
        long bystanderRecords = connector.export(bystander(), before).total();

        ErasureReport report = connector.erase(subject());
        assertThat(report.system()).isEqualTo(connector.system());
        assertThat(report.totalRows()).isPositive();
        for (ErasureReport.TableErasure t : report.tables()) {
            if (t.outcome() == ErasureReport.Outcome.RETAINED && t.rows() > 0) {
                assertThat(t.retention()).as("kept rows name their legal basis: " + t.table()).isNotNull();
            }
        }
        VerifyReport proof = connector.verifyErased(subject());
        assertThat(proof.erased()).as("remaining: " + proof.remainingPerTable()).isTrue();

        Collected after = new Collected();
        assertThat(connector.export(subject(), after).total()).isZero();
        Collected bystanderAfter = new Collected();
        assertThat(connector.export(bystander(), bystanderAfter).total()).isEqualTo(bystanderRecords);
        assertThat(bystanderAfter.text()).isEqualTo(before.text());
    }

    @Test
    void erasingTwiceChangesNothingTheSecondTime() throws Exception {
        Connector connector = freshSystem();
        connector.erase(subject());
        ErasureReport again = connector.erase(subject());
        assertThat(again.rows(ErasureReport.Outcome.ANONYMIZED) + again.rows(ErasureReport.Outcome.DELETED)).isZero();
        assertThat(connector.verifyErased(subject()).erased()).isTrue();
    }

    @Test
    void aSystemThatIsDownIsReportedAndItsWorkIsRetriable() throws Exception {
        Connector down = unreachableSystem();
        try {
            ConnectorCheck check = down.check();
            assertThat(check.reachable()).isFalse();
            assertThat(check.problems()).isNotEmpty();
            assertThatThrownBy(() -> down.erase(subject()))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isTrue());
        } finally {
            if (down instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void aFileWithAMistakeIsRefusedNamingTheFileAndThePath() throws Exception {
        BadConfig bad = badConfig();
        assertThatThrownBy(() -> bad.factory().create(bad.file(), bad.definition()))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith(bad.file()).contains(bad.pathNamed())));
    }

    /** Collects exported records and checks the sink is used as documented. */
    public static class Collected implements RecordSink {
        public final List<Map<String, Object>> records = new ArrayList<>();
        int openTables;

        @Override
        public void startTable(String table, String purpose) {
            openTables++;
        }

        @Override
        public void record(Map<String, Object> columns) {
            assertThat(openTables).as("records arrive inside a table").isPositive();
            records.add(columns);
        }

        @Override
        public void endTable(String table, long count) {
            openTables--;
        }

        public String text() {
            return records.toString();
        }
    }
}
