package org.dsrflow.support;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dsrflow as a process of its own (the test JVM's classpath, its main class), so that a test can end
 * it with SIGKILL the way a crash or an out-of-memory kill would, and start it again. Its output is
 * appended to a log file.
 */
public final class DsrflowProcess {
    private final Map<String, String> settings;
    private final Path log;
    private Process process;
    private int port;

    public DsrflowProcess(Map<String, String> settings, Path log) {
        this.settings = settings;
        this.log = log;
    }

    /** Starts the process and waits until it is ready for traffic (its routes run); returns the time that took. */
    public Duration start(Duration timeout) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        settings.put("server.port", Integer.toString(port));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath(),
                "org.dsrflow.DsrflowApplication"));
        command.addAll(List.of(SharedServers.args(settings)));
        Instant begun = Instant.now();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (Duration.between(begun, Instant.now()).compareTo(timeout) < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dsrflow exited at start with " + process.exitValue() + "; see " + log);
            }
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return Duration.between(begun, Instant.now());
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        kill();
        throw new IllegalStateException("dsrflow did not answer within " + timeout + "; see " + log);
    }

    /**
     * The test JVM's classpath, each entry once. Surefire starts tests from a jar whose manifest lists
     * the real classpath; it is read here, since the same folder twice would show every connector twice.
     */
    public static String classpath() throws java.io.IOException {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefirebooter")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                    String listed = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : listed == null ? new String[0] : listed.trim().split("\\s+")) {
                        entries.add(Path.of(URI.create(url)).toString());
                    }
                }
            } else if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** SIGKILL: no shutdown hook, no finally block, nothing flushed. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public Http http() {
        return new Http(port);
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }
}
