package org.dsrflow.bench;

import java.util.Map;

/**
 * Where the benchmarks point: the PostgreSQL server holding the demo systems' databases and the
 * case store, and the running dsrflow. By default the demo's (localhost:54329, localhost:8080); the
 * environment variables {@code DSRFLOW_BENCH_*} point elsewhere (BENCHMARKS.md).
 */
record BenchTarget(String server, String prefix, String user, String password, String hashSecret, String app, String operatorToken,
                   String caseStoreUrl, int smtpPort, String kafka, String ticketSecret, String classpath, String javaOptions) {

    static BenchTarget from(Map<String, String> env) {
        String server = env.getOrDefault("DSRFLOW_BENCH_PG", "jdbc:postgresql://localhost:54329/");
        return new BenchTarget(server.endsWith("/") ? server : server + "/", env.getOrDefault("DSRFLOW_BENCH_DB_PREFIX", ""),
                env.getOrDefault("DSRFLOW_BENCH_DB_USER", "postgres"),
                env.getOrDefault("DSRFLOW_BENCH_DB_PASSWORD", ""),
                env.getOrDefault("DSRFLOW_HASH_SECRET", "demo-only-hash-secret-not-for-production"),
                env.getOrDefault("DSRFLOW_BENCH_APP", "http://localhost:8080"),
                env.getOrDefault("DSRFLOW_OPERATOR_TOKEN", "demo-only-operator-token"),
                env.getOrDefault("DSRFLOW_BENCH_CASE_STORE", (server.endsWith("/") ? server : server + "/") + "dsrflow"),
                Integer.parseInt(env.getOrDefault("DSRFLOW_BENCH_SMTP_PORT", "3025")),
                env.getOrDefault("DSRFLOW_BENCH_KAFKA", "localhost:9092"),
                env.getOrDefault("DSRFLOW_TICKET_SECRET_JIRA", "demo-only-jira-secret"), env.get("DSRFLOW_BENCH_CLASSPATH"),
                env.get("DSRFLOW_BENCH_JAVA_OPTIONS"));
    }

    /** A demo system's database ({@code billing}, {@code logs}, {@code crm}), after the optional name prefix. */
    String url(String database) {
        return server + prefix + database;
    }

    DataGenerator.Target generatorTarget() {
        return new DataGenerator.Target(url("billing"), url("logs"), url("crm"), user, password);
    }
}
