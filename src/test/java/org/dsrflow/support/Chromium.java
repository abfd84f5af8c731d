package org.dsrflow.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds Debian's chromium and chromedriver for the browser tests, installing them when missing.
 * Looked for, in order: {@code CHROMIUM_BIN} and {@code CHROMEDRIVER} from the environment, then
 * {@code chromium}/{@code chromium-browser} and {@code chromedriver} on the PATH. When either is
 * missing and the build runs as root on a Debian-like system, it runs
 * {@code apt-get update && apt-get install -y chromium chromium-driver} (a few minutes the first time).
 * Otherwise the test fails and says what to install; {@code -Ddsrflow.browser=skip} skips it instead.
 */
public final class Chromium {
    public record Found(Path browser, Path driver) {
    }

    private Chromium() {
    }

    public static Found locateOrInstall() throws Exception {
        Found found = locate();
        if (found != null) {
            return found;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path aptGet = onPath("apt-get");
        if (root && aptGet != null) {
            System.out.println("[browser test] chromium or chromedriver missing: apt-get install -y chromium chromium-driver");
            run(List.of(aptGet.toString(), "update", "-q"));
            run(List.of(aptGet.toString(), "install", "-y", "-q", "chromium", "chromium-driver"));
            found = locate();
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    public static String howToInstall() {
        return "The browser test needs Debian's chromium and chromedriver: run 'apt-get install chromium chromium-driver' as root "
                + "(or set CHROMIUM_BIN and CHROMEDRIVER), or skip it with -Ddsrflow.browser=skip.";
    }

    private static Found locate() {
        Path browser = fromEnv("CHROMIUM_BIN");
        if (browser == null) {
            browser = onPath("chromium");
        }
        if (browser == null) {
            browser = onPath("chromium-browser");
        }
        Path driver = fromEnv("CHROMEDRIVER");
        if (driver == null) {
            driver = onPath("chromedriver");
        }
        return browser == null || driver == null ? null : new Found(browser, driver);
    }

    private static Path fromEnv(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() || !Files.isExecutable(Path.of(v)) ? null : Path.of(v);
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took longer than 15 minutes");
        }
    }
}
