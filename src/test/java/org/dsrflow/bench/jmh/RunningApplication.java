package org.dsrflow.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.dsrflow.DsrflowApplication;
import org.dsrflow.support.SharedServers;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application on its embedded servers, started the way the tests start it (free ports, a
 * throw-away database folder), for benchmarks that measure a piece of it in place. Starting and
 * stopping it takes about half a minute, so a caller that runs several benchmarks in its own JVM
 * (the smoke test) may {@link #lend} one to all of them.
 */
final class RunningApplication implements AutoCloseable {
    private static volatile RunningApplication lent;

    private final ConfigurableApplicationContext context;

    private RunningApplication(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Until {@code null} is lent, {@link #borrowOrStart} hands out this one and {@link #giveBack} leaves it running. */
    static void lend(RunningApplication application) {
        lent = application;
    }

    /** The lent application, or a new one started with {@code overrides}. */
    static RunningApplication borrowOrStart(Map<String, String> overrides) {
        RunningApplication application = lent;
        return application != null ? application : start(overrides);
    }

    /** Closes the application unless it was lent. */
    void giveBack() {
        if (this != lent) {
            close();
        }
    }

    /** Starts with the test settings, then {@code overrides}; all are passed as arguments, which outrank ./config. */
    static RunningApplication start(Map<String, String> overrides) {
        Map<String, String> settings = testSettings();
        settings.put("server.port", "0");
        settings.putAll(overrides);
        return new RunningApplication(new SpringApplicationBuilder(DsrflowApplication.class).run(SharedServers.args(settings)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    private static Map<String, String> testSettings() {
        Properties test = new Properties();
        try (InputStream in = RunningApplication.class.getResourceAsStream("/dsrflow-test.properties")) {
            test.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        test.stringPropertyNames().forEach(name -> settings.put(name, test.getProperty(name)));
        return settings;
    }
}
