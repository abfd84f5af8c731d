package org.dsrflow.connector;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records a deferred system sent for an export (in pieces over Kafka, or uploaded by a system's
 * owner), kept in the case store from the moment they arrive until the closing answer lets the
 * export be assembled. Storing a piece twice (Kafka delivers at least once) keeps the first copy.
 */
public final class AnswerRecords {
    private static final TypeReference<List<Map<String, Object>>> RECORDS = new TypeReference<>() {
    };
    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public AnswerRecords(DataSource caseStore) {
        this.jdbc = new JdbcTemplate(caseStore);
    }

    public void save(String taskId, int seq, String dataset, List<Map<String, Object>> records) {
        try {
            jdbc.update("insert into remote_chunk (task_id, seq, dataset, body) values (?,?,?,?) on conflict do nothing",
                    taskId, seq, dataset, json.writeValueAsString(records));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("records cannot be stored as JSON", e);
        }
    }

    /** How many of the pieces numbered 0 .. {@code chunks}-1 are here (a complete answer has them all). */
    public int countBelow(String taskId, int chunks) {
        if (chunks <= 0) {
            return 0; // an answer without records (an erasure, nobody found): nothing to count
        }
        Integer n = jdbc.queryForObject("select count(*) from remote_chunk where task_id = ? and seq < ?", Integer.class, taskId, chunks);
        return n == null ? 0 : n;
    }

    /**
     * Streams the pieces into the sink, one table per dataset in the order the datasets first
     * arrived. Datasets the file declares but the system sent nothing for appear as empty tables,
     * so the package shows them as searched.
     */
    public void replay(String taskId, Map<String, String> purposes, RecordSink sink) {
        replay(taskId, Integer.MAX_VALUE, purposes, sink);
    }

    /** Replays the pieces numbered below {@code chunks} only: leftovers of an earlier, longer answer are not the person's export. */
    public void replay(String taskId, int chunks, Map<String, String> purposes, RecordSink sink) {
        List<String> datasets = chunks <= 0 ? List.of() : jdbc.queryForList("select dataset from remote_chunk where task_id = ? "
                + "and seq < ? group by dataset order by min(seq)", String.class, taskId, chunks);
        for (String dataset : datasets) {
            sink.startTable(dataset, purposes.getOrDefault(dataset, ""));
            long[] count = {0};
            jdbc.query("select body from remote_chunk where task_id = ? and dataset = ? and seq < ? order by seq", rs -> {
                try {
                    for (Map<String, Object> record : json.readValue(rs.getString(1), RECORDS)) {
                        sink.record(record);
                        count[0]++;
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("a stored piece of a remote export is unreadable", e);
                }
            }, taskId, dataset, chunks);
            sink.endTable(dataset, count[0]);
        }
        purposes.keySet().stream().filter(d -> !datasets.contains(d)).forEach(d -> {
            sink.startTable(d, purposes.get(d));
            sink.endTable(d, 0);
        });
    }

    /** Pieces no closing answer ever came for (a task abandoned, a system that sent rubbish) are deleted after a while. */
    public int purgeOlderThan(java.time.Duration age) {
        return jdbc.update("delete from remote_chunk where received_at < ?", java.sql.Timestamp.from(java.time.Instant.now().minus(age)));
    }

    public void delete(String taskId) {
        jdbc.update("delete from remote_chunk where task_id = ?", taskId);
    }
}
