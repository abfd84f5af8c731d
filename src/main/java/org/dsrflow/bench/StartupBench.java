package org.dsrflow.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 6: how long the embedded demo takes from {@code java} to ready — the time a new user
 * waits. Each run starts a fresh JVM on free ports: cold (an empty data folder, so PostgreSQL is
 * initialised and the demo systems seeded) and then warm (the same folder again).
 */
final class StartupBench {
    private final PrintStream out;
    /** The classpath to start the demo with; null for this JVM's own. */
    private final String classpath;
    /** JVM options for the demo (none by default: it starts as {@code java -jar} does). */
    private final List<String> javaOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    StartupBench(PrintStream out, String classpath, String javaOptions) {
        this.out = out;
        this.classpath = classpath;
        this.javaOptions = javaOptions == null || javaOptions.isBlank() ? List.of() : List.of(javaOptions.trim().split("\\s+"));
    }

    void run(int runs, boolean withWarm, Report report) throws Exception {
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path data = Files.createTempDirectory("dsrflow-bench-start");
            try {
                cold.add(start(data, "run " + (i + 1) + " cold"));
                if (withWarm) {
                    warm.add(start(data, "run " + (i + 1) + " warm"));
                }
            } finally {
                try (var files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
        Stats c = new Stats(cold);
        report.timing("6 demo start-up", "cold: empty data folder, to ready and the home page served", c, "< 20 s", c.p95() < 20);
        if (withWarm) {
            Stats w = new Stats(warm);
            report.timing("6 demo start-up", "warm: the same folder again", w, "< 20 s", w.p95() < 20);
        }
    }

    /** Starts the demo on {@code data}, returns the seconds until it is ready and serves its home page, then stops it. */
    private double start(Path data, String label) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOptions);
        String classpath = this.classpath != null ? this.classpath : System.getProperty("java.class.path");
        if (classpath.endsWith(".jar") && !classpath.contains(File.pathSeparator)) { // java -jar dsrflow.jar
            command.add("-jar");
            command.add(classpath);
        } else {
            command.add("-cp");
            command.add(classpath);
            command.add("org.dsrflow.DsrflowApplication");
        }
        command.addAll(List.of("--server.port=" + port, "--dsrflow.embedded.data-dir=" + data, "--dsrflow.embedded.postgres.port=0",
                "--dsrflow.embedded.mail.smtp-port=0", "--dsrflow.embedded.mail.imap-port=0", "--dsrflow.embedded.kafka.port=0",
                "--dsrflow.demo.helpdesk.port=0"));
        Path log = data.resolve("console-" + label.replace(' ', '-') + ".log");
        long began = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the demo exited with " + p.exitValue() + " while starting; its output: " + log);
                }
                if (Stats.since(began) > 180) {
                    throw new IllegalStateException("the demo was not ready within 180 s; its output: " + log);
                }
                if (ok(port, "/actuator/health/readiness") && ok(port, "/")) {
                    double took = Stats.since(began);
                    out.printf(Locale.ROOT, "  %s: ready in %s%n", label, Stats.seconds(took));
                    return took;
                }
                Thread.sleep(100);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private boolean ok(int port, String path) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
